ALTER TABLE controllers DROP COLUMN postal_address;
ALTER TABLE controllers DROP COLUMN kind;
