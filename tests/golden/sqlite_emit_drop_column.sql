ALTER TABLE "items" DROP COLUMN "legacy";
CREATE TABLE "notes__ss_new" (
  "id" INTEGER NOT NULL,
  "body" TEXT,
  CONSTRAINT "notes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notes_body_ok" CHECK (body <> 'legacy')
);
INSERT INTO "notes__ss_new" ("id", "body") SELECT "id", "body" FROM "notes";
DROP TABLE "notes";
ALTER TABLE "notes__ss_new" RENAME TO "notes";
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
