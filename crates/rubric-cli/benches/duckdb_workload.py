"""The reference workload of docs/performance.md as one DuckDB query, for the
side-by-side figure:  pip install duckdb
    python3 crates/rubric-cli/benches/duckdb_workload.py target/bench-data/workload-10000000.csv [threads]
Writes the same two tables as `rubric eval` (consultant × month, team × quarter) to
target/bench-data/out-duckdb/ and prints the wall time and peak memory."""

import os
import resource
import sys
import time

import duckdb

csv, threads = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2
out = os.path.join(os.path.dirname(csv), "out-duckdb")
os.makedirs(out, exist_ok=True)
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
start = time.time()
con.execute(f"""
CREATE TEMP TABLE scored AS
WITH raw AS (
  SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)
), points AS (
  SELECT consultant, team, CAST(date AS DATE) AS d,
    [CASE q WHEN '非常满意' THEN 100 WHEN '比较满意' THEN 100 WHEN '很好' THEN 100 WHEN '比较好' THEN 100
            WHEN '基本满意' THEN 75 WHEN '一般' THEN 75 WHEN '还好' THEN 75 WHEN '还行' THEN 75
            WHEN '不满意' THEN 25 WHEN '不好' THEN 25 WHEN '比较差' THEN 25 WHEN '有投诉' THEN 0 END
     FOR q IN [q1, q2, q3, q4]] AS p, q1
  FROM raw
)
SELECT consultant, team, d,
  CAST(25 * p[1] / 100 + 25 * p[2] / 100 + 25 * p[3] / 100 + 25 * p[4] / 100 AS DECIMAL(18, 4)) AS cs
FROM points
WHERE q1 <> '拒绝回访' AND list_count(p) = 4
""")
con.execute(f"""
COPY (SELECT consultant, strftime(d, '%Y-%m') AS period, count(*) AS scored, round(avg(cs), 2) AS cs
      FROM scored GROUP BY ALL ORDER BY ALL) TO '{out}/consultant-month.csv' (HEADER)""")
con.execute(f"""
COPY (SELECT team, year(d) || '-Q' || quarter(d) AS period, count(*) AS scored, round(avg(cs), 2) AS cs,
             CASE WHEN round(avg(cs), 2) >= 90 THEN '优秀' WHEN round(avg(cs), 2) >= 70 THEN '达标' ELSE '不达标' END AS band
      FROM scored GROUP BY ALL ORDER BY ALL) TO '{out}/team-quarter.csv' (HEADER)""")
wall = time.time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"| duckdb | {threads} | {wall:.2f} s | peak RSS {peak:.0f} MiB |")
