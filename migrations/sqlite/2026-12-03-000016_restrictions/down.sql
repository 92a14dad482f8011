DROP TABLE restrictions;
