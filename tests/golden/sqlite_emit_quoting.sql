ALTER TABLE "x""; DROP TABLE users; --" ADD COLUMN "it's" TEXT DEFAULT '''); DROP TABLE x; --';
