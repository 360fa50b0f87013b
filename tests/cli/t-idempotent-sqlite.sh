# Every push is idempotent (SPEC 4): types, defaults, generated names,
# composite keys, expression and partial indexes, self references; also
# after rebuilds with rows in them, and through pull.
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

schema <<'YAML'
enums:
  st: [a, "b c", "it's"]
tables:
  kinds:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      s: { type: smallint, default: -3 }
      b1: { type: boolean, nullable: false, default: true }
      b2: { type: boolean, default: false }
      r: { type: real, default: 1.5 }
      d: { type: double, default: -0.25 }
      n: { type: "numeric(10,2)", default: 3.10 }
      t: { type: text, default: "" }
      t2: { type: text, default: "null" }
      t3: { type: text, default: "ünï'cödé" }
      t4: { type: text, default: null }
      v: { type: varchar(20), nullable: false, default: "x,y" }
      c: { type: char(7), default: "#888888" }
      dt: { type: date, default: { sql: CURRENT_DATE } }
      tm: time
      ts: { type: timestamp, nullable: false, default: { sql: CURRENT_TIMESTAMP } }
      tz: timestamptz
      u: { type: uuid, unique: true }
      j: { type: json, default: "{}" }
      jb: jsonb
      by: bytea
      bl: blob
      e: { type: st, default: "it's" }
      o: { type: "inet" }
      parent: { type: bigint, references: kinds.id, on_delete: set null, on_update: cascade }
      expr: { type: integer, default: { sql: "(1 + 2)" } }
    indexes:
      kinds_desc: { columns: ["ts DESC", s] }
      kinds_lower: { columns: ["lower(t)"], unique: true, where: "t <> ''" }
    checks:
      kinds_s: "s > -10"
  pairs:
    columns:
      a: { type: integer, nullable: false }
      b: { type: integer, nullable: false }
      k: { type: bigint, nullable: false }
      note: { type: text, unique: true }
    primary_key: [a, b]
    foreign_keys:
      - { columns: [k], references: { table: kinds, columns: [id] }, on_delete: restrict, on_update: no action }
  pair_refs:
    columns:
      id: { type: integer, primary_key: true }
      pa: integer
      pb: integer
    foreign_keys:
      pr_fk: { columns: [pa, pb], references: { table: pairs, columns: [a, b] }, on_delete: cascade }
YAML
ss --db $DB push
check "every kind of column: exit 0" rc_is 0
ss --db $DB push
check "every kind of column: second push in sync" both rc_is 0 out_has "in sync: nothing to do"
sql "INSERT INTO kinds (id) VALUES (1); INSERT INTO kinds (id, parent, u) VALUES (2, 1, 'u2');
INSERT INTO pairs VALUES (1, 2, 1, 'n'); INSERT INTO pair_refs VALUES (1, 1, 2);"
check "defaults: literal ones as written, SQL ones evaluated" sql_is "-3|1|0|1.5|-0.25|3.1||null|ünï'cödé||x,y|#888888|1|it's|{}|3" \
	"SELECT s, b1, b2, r, d, n, t, t2, t3, t4, v, c, dt = date('now'), e, j, expr FROM kinds WHERE id = 1"
check "defaults: typeof as declared" sql_is "integer|integer|real|text|null" \
	"SELECT typeof(s), typeof(b1), typeof(d), typeof(t2), typeof(t4) FROM kinds WHERE id = 1"
rm -rf pulled
ss --db $DB pull --out pulled
ss --db $DB --schema pulled diff --exit-code
check "every kind of column: pull then diff in sync" both rc_is 0 out_has "in sync: nothing to do"

schema <<'YAML'
enums:
  st: [a, "b c", "it's"]
tables:
  kinds:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      s: { type: smallint, default: -3 }
      b1: { type: boolean, nullable: false, default: true }
      b2: { type: boolean, default: false }
      r: { type: real, default: 1.5 }
      d: { type: double, default: -0.25 }
      n: { type: "numeric(10,2)", default: 3.10 }
      t: { type: text, default: "" }
      t2: { type: text, default: "null" }
      t3: { type: text, default: "ünï'cödé" }
      t4: { type: text, default: null }
      v: { type: varchar(20), nullable: false, default: "x,y" }
      c: { type: char(7), default: "#888888" }
      dt: { type: date, default: { sql: CURRENT_DATE } }
      tm: time
      ts: { type: timestamp, nullable: false, default: { sql: CURRENT_TIMESTAMP } }
      tz: timestamptz
      u: { type: uuid, unique: true }
      j: { type: json, default: "{}" }
      jb: jsonb
      by: bytea
      bl: blob
      e: { type: st, default: "it's" }
      o: { type: "inet" }
      parent: { type: bigint, references: kinds.id, on_delete: set null, on_update: cascade }
      expr: { type: integer, default: { sql: "(1 + 2)" } }
    indexes:
      kinds_desc: { columns: ["ts DESC", s] }
      kinds_lower: { columns: ["lower(t)"], unique: true, where: "t <> ''" }
    checks:
      kinds_s: "s > -10"
      kinds_s2: "s < 100"
  pairs:
    columns:
      a: { type: integer, nullable: false }
      b: { type: integer, nullable: false }
      k: { type: bigint, nullable: false }
      note: { type: text, unique: true }
      more: { type: text, nullable: false, default: { sql: "'m' || 'n'" } }
    primary_key: [a, b]
    foreign_keys:
      - { columns: [k], references: { table: kinds, columns: [id] }, on_delete: restrict, on_update: no action }
  pair_refs:
    columns:
      id: { type: integer, primary_key: true }
      pa: integer
      pb: integer
      z: { type: integer, nullable: false, default: 0 }
    checks:
      z_pos: "z >= 0"
    foreign_keys:
      pr_fk: { columns: [pa, pb], references: { table: pairs, columns: [a, b] }, on_delete: cascade }
YAML
ss --db $DB push
check "rebuild of all three: exit 0" rc_is 0
check "rebuild of all three: safe" out_lacks "!"
ss --db $DB push
check "rebuild of all three: second push in sync" both rc_is 0 out_has "in sync: nothing to do"
check "rebuild of all three: rows kept" sql_is "1||
2|1|u2
1|2|1|n|mn
1|1|2|0" "SELECT id, parent, u FROM kinds ORDER BY id; SELECT * FROM pairs; SELECT * FROM pair_refs"
check "rebuild of all three: no foreign key violation" sql_is "" "PRAGMA foreign_key_check"
check "rebuild of all three: the composite foreign key is kept" sql_is "pairs|pa|a|CASCADE
pairs|pb|b|CASCADE" "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('pair_refs') ORDER BY seq"
check "rebuild of all three: the unique constraint is kept" sh -c '! sqlite3 db.sqlite "INSERT INTO kinds (id, u) VALUES (3, '"'u2'"')" 2>/dev/null'
