CREATE TABLE "users" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" TEXT NOT NULL,
  "name" TEXT,
  "status" TEXT NOT NULL DEFAULT 'active',
  "karma" INTEGER NOT NULL DEFAULT 0,
  "small" INTEGER DEFAULT -7,
  "score" REAL DEFAULT -1.5e3,
  "ratio" REAL,
  "price" NUMERIC DEFAULT 4.99,
  "price2" NUMERIC,
  "active" INTEGER NOT NULL DEFAULT 1 CHECK ("active" IN (0, 1)),
  "verified" INTEGER DEFAULT 0 CHECK ("verified" IN (0, 1)),
  "code" TEXT DEFAULT 'it''s',
  "initial" TEXT,
  "born" TEXT DEFAULT CURRENT_DATE,
  "wakes" TEXT DEFAULT current_time,
  "created_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TEXT DEFAULT (datetime('now')),
  "uid" TEXT DEFAULT (lower(hex(randomblob(16)))),
  "meta" TEXT DEFAULT '{}',
  "metab" TEXT,
  "avatar" BLOB,
  "thumb" BLOB,
  "mood" TEXT DEFAULT 'happy' CONSTRAINT "mood" CHECK ("mood" IN ('happy', 'sad')),
  "seen" DATETIME DEFAULT ((1 + 2)),
  "nothing" TEXT DEFAULT NULL,
  "sneaky" TEXT DEFAULT '''); DROP TABLE users; --',
  "numstr" TEXT DEFAULT '42',
  CONSTRAINT "users_email_key" UNIQUE ("email"),
  CONSTRAINT "users_karma_positive" CHECK (karma >= 0),
  CONSTRAINT "users_code_len" CHECK (length(code) <= 20 -- short codes
)
);
CREATE INDEX "users_name_idx" ON "users" ("name");
CREATE UNIQUE INDEX "users_live_email" ON "users" ("email") WHERE status <> 'deleted';
CREATE INDEX "users_lower_email" ON "users" (lower(email), "created_at" DESC);
CREATE TABLE "posts" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "user_id" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'draft' CONSTRAINT "post_status" CHECK ("status" IN ('draft', 'published', 'it''s archived')),
  "mood" TEXT CONSTRAINT "mood" CHECK ("mood" IN ('happy', 'sad')),
  "body" TEXT,
  "editor_id" INTEGER,
  "odd_ref" TEXT,
  CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE,
  CONSTRAINT "posts_editor_id_fkey" FOREIGN KEY ("editor_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE RESTRICT,
  CONSTRAINT "posts_odd_ref_fkey" FOREIGN KEY ("odd_ref") REFERENCES "x""; DROP TABLE users; --" ("a""b")
);
CREATE INDEX "posts_user_id_status_idx" ON "posts" ("user_id", "status");
CREATE TABLE "tags" (
  "post_id" INTEGER NOT NULL,
  "name" TEXT NOT NULL,
  "weight" INTEGER DEFAULT 1,
  CONSTRAINT "tags_pkey" PRIMARY KEY ("post_id", "name"),
  CONSTRAINT "tags_post_fk" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE SET DEFAULT ON UPDATE CASCADE
);
CREATE TABLE "x""; DROP TABLE users; --" (
  "a""b" TEXT NOT NULL,
  "[c]" INTEGER,
  "it's" INTEGER DEFAULT 0 CHECK ("it's" IN (0, 1)),
  "`d`" TEXT NOT NULL,
  CONSTRAINT "x""; DROP TABLE users; --_pkey" PRIMARY KEY ("a""b"),
  CONSTRAINT "x""; DROP TABLE users; --_[c]_key" UNIQUE ("[c]")
);
CREATE INDEX "odd_idx" ON "x""; DROP TABLE users; --" ("a""b", "[c]", "`d`");
CREATE TABLE "plain" (
  "n" INTEGER
);
