-- What each controller is (a nämnd, kommunstyrelsen and a kommunalförbund are myndigheter; a
-- kommunalt bolag is not, and its decisions cannot be appealed), and its postal address, where
-- an appeal is sent and which heads its letters.
ALTER TABLE controllers ADD COLUMN kind TEXT NOT NULL DEFAULT 'namnd';
ALTER TABLE controllers ADD COLUMN postal_address TEXT;
