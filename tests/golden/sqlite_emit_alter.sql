ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";
ALTER TABLE "users" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0;
CREATE TABLE "tags" (
  "id" INTEGER NOT NULL,
  "user_id" INTEGER,
  CONSTRAINT "tags_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "tags_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX "users_email_idx" ON "users" ("email");
ALTER TABLE "users" DROP COLUMN "legacy";
