-- Every privilege anyone holds on the objects of a docket store's schema,
-- from the catalog, one line each: the schema, tables, views and sequences
-- (and whether row-level security is on), column privileges, functions
-- and aggregates (and which run as their owner), and the row-level
-- security policies with the roles they apply to. Roles are named by what
-- they are: the store's group roles 'reviewer' and 'supervisor', PUBLIC,
-- and 'owner' (the schema's, whose own rights are left out). For
-- t_pg_acl.sh, which compares it with its allow-list, and
-- t_pg_acl_upgrade.sh. Run as the owner with psql -qAtX -f.
WITH who(oid, name) AS (
  SELECT 0::oid, 'PUBLIC'
  UNION ALL SELECT r.oid, CASE r.rolname
    WHEN docket.store_role('reviewer') THEN 'reviewer'
    WHEN docket.store_role('supervisor') THEN 'supervisor'
    ELSE CASE WHEN r.oid = (SELECT nspowner FROM pg_namespace WHERE nspname = 'docket')
      THEN 'owner' ELSE r.rolname END END FROM pg_roles r),
objs(kind, name, acl, owner, extra) AS (
  SELECT 'schema', n.nspname::text, n.nspacl, n.nspowner, '' FROM pg_namespace n WHERE n.nspname = 'docket'
  UNION ALL
  SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence'
    ELSE 'relkind ' || CAST(c.relkind AS text) END, c.relname::text, c.relacl, c.relowner,
    CASE WHEN c.relrowsecurity THEN ' rls' ELSE '' END || CASE WHEN c.relforcerowsecurity THEN ' force' ELSE '' END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'docket' AND c.relkind NOT IN ('i', 'I', 'c', 't')
  UNION ALL
  SELECT 'column', c.relname || '.' || a.attname, a.attacl, c.relowner, ''
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'docket' AND a.attacl IS NOT NULL AND NOT a.attisdropped
  UNION ALL
  SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END,
    p.oid::regprocedure::text, p.proacl, p.proowner,
    CASE WHEN p.prosecdef THEN ' definer' ELSE '' END
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'docket'
)
SELECT o.kind || ' ' || o.name || o.extra || ' ' || coalesce((
    SELECT string_agg(w.name || ':' || e.privilege_type || CASE WHEN e.is_grantable THEN '*' ELSE '' END,
      ',' ORDER BY w.name, e.privilege_type)
    FROM aclexplode(coalesce(o.acl, acldefault(CASE o.kind WHEN 'schema' THEN 'n' WHEN 'sequence' THEN 's'
      WHEN 'column' THEN 'c' WHEN 'table' THEN 'r' WHEN 'view' THEN 'r' ELSE 'f' END::"char", o.owner))) e
    JOIN who w ON w.oid = e.grantee
    WHERE w.name <> 'owner'), '-')
FROM objs o
UNION ALL
SELECT 'policy ' || c.relname || '.' || p.polname || ' ' || CASE p.polcmd WHEN 'r' THEN 'SELECT'
    WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
  || CASE WHEN p.polpermissive THEN '' ELSE ' restrictive' END || ' '
  || (SELECT string_agg(w.name, ',' ORDER BY w.name) FROM unnest(p.polroles) r(oid) JOIN who w ON w.oid = r.oid)
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'docket'
ORDER BY 1;
