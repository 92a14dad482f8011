DROP TABLE extracts;
DROP TABLE findings;
DROP TABLE register_version;
DROP TABLE activities;
