CREATE TABLE "docs" (
    "id" integer NOT NULL,
    "body" tsvector,
    "meta" jsonb,
    "title" text,
    "at" timestamptz,
    "org" integer,
    "slug" text,
    CONSTRAINT "docs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "docs_org_slug_key" UNIQUE ("org", "slug") DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT "docs_title_key" UNIQUE NULLS NOT DISTINCT ("title") INCLUDE ("org")
);
CREATE INDEX "docs_body_idx" ON "docs" USING gin ("body");
CREATE INDEX "docs_meta_idx" ON "docs" USING gin ("meta" jsonb_path_ops);
CREATE INDEX "docs_title_idx" ON "docs" ("title" text_pattern_ops, "at" DESC NULLS LAST);
CREATE INDEX "docs_at_idx" ON "docs" ("at" DESC, "org" NULLS FIRST) WHERE org > 0;
CREATE INDEX "docs_lower_idx" ON "docs" ((lower(title)) DESC);
CREATE UNIQUE INDEX "docs_slug_idx" ON "docs" ("slug") INCLUDE ("title", "at") NULLS NOT DISTINCT;
CREATE INDEX "docs_at_brin" ON "docs" USING brin ("at");
