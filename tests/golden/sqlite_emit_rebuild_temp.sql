CREATE TEMP TABLE "users__ss_old" ("id", "email", "name");
INSERT INTO temp."users__ss_old" ("id", "email", "name") SELECT "id", "email", "name" FROM "users";
DROP TABLE "users";
CREATE TABLE "users" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" TEXT,
  "name" TEXT,
  "flag" INTEGER NOT NULL DEFAULT 0 CHECK ("flag" IN (0, 1)),
  CONSTRAINT "users_email_key" UNIQUE ("email"),
  CONSTRAINT "users_email_at" CHECK (email LIKE '%@%')
);
INSERT INTO "users" ("id", "email", "name") SELECT "id", "email", "name" FROM temp."users__ss_old";
DROP TABLE temp."users__ss_old";
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
