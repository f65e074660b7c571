# The project-local PostgreSQL: a cluster in .postgres/ (ignored by git) on 127.0.0.1:54329,
# which scripts/database-url creates and starts where no server answers on 127.0.0.1:5432,
# and scripts/stop-database stops. Sourced by both, from the project's root.

cluster="$PWD/.postgres"
cluster_port=54329
cluster_url="postgres://postgres@127.0.0.1:$cluster_port/newsarchive"

# Says why on stderr, with the end of the log that holds the details, and exits non-zero:
# whatever called the script (make, manage.py) stops there instead of going on without a
# database.
fail() {
  echo "scripts/$(basename "$0"): $1" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    echo "The end of $2:" >&2
    tail -n 15 "$2" | sed 's/^/    /' >&2
  fi
  exit 1
}

# The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/N/bin, else initdb's
# folder on PATH. Empty when none are installed.
pg_bin=""
while read -r candidate; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    pg_bin=$candidate
    break
  fi
done < <(
  printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV
  dirname "$(command -v initdb || echo /none/initdb)"
)
pg_isready="$pg_bin/pg_isready"
[ -x "$pg_isready" ] || pg_isready=$(command -v pg_isready || true)

# Whether a PostgreSQL server accepts connections on 127.0.0.1:PORT (waiting up to SECONDS).
answers() {
  [ -n "$pg_isready" ] && "$pg_isready" -q -h 127.0.0.1 -p "$1" -t "$2" 2>/dev/null
}

no_binaries="no PostgreSQL server binaries (initdb, pg_ctl) were found in \
/usr/lib/postgresql/*/bin or on PATH. Install PostgreSQL 15 or later (Debian: apt-get install \
postgresql-15), or start a server on 127.0.0.1:5432, or set DATABASE_URL."

# initdb and pg_ctl refuse to run as root: under root they run as the postgres user, which
# owns the cluster's folder.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
fi
