CREATE TABLE "p__ss_new" (
  "id" INTEGER NOT NULL,
  CONSTRAINT "p_pkey" PRIMARY KEY ("id")
) STRICT;
INSERT INTO "p__ss_new" ("id") SELECT "id" FROM "p";
DROP TABLE "p";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "p__ss_new" RENAME TO "p";
PRAGMA legacy_alter_table = OFF;
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
CREATE TABLE "k__ss_new" (
  "id" TEXT NOT NULL,
  "p_id" INTEGER,
  CONSTRAINT "k_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "k_p_fk" FOREIGN KEY ("p_id") REFERENCES "p" ("id") DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID, STRICT;
INSERT INTO "k__ss_new" ("id", "p_id") SELECT "id", "p_id" FROM "k";
DROP TABLE "k";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "k__ss_new" RENAME TO "k";
PRAGMA legacy_alter_table = OFF;
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
