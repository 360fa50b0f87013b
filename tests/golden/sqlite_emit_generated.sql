CREATE TABLE "t__ss_new" (
  "id" INTEGER NOT NULL,
  "a" INTEGER,
  "b" INTEGER GENERATED ALWAYS AS (a * 3) STORED,
  "e" TEXT COLLATE "RTRIM",
  "f" TEXT,
  "s" INTEGER GENERATED ALWAYS AS (a + 1) STORED,
  CONSTRAINT "t_pkey" PRIMARY KEY ("id")
);
INSERT INTO "t__ss_new" ("id", "a", "e", "f") SELECT "id", "a", "e", "f" FROM "t";
DROP TABLE "t";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "t__ss_new" RENAME TO "t";
PRAGMA legacy_alter_table = OFF;
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
ALTER TABLE "v" ADD COLUMN "h" INTEGER GENERATED ALWAYS AS (a / 2) VIRTUAL;
ALTER TABLE "v" ADD COLUMN "n" TEXT COLLATE "NOCASE";
