// Package script runs a dataset's curation script in a Starlark sandbox and
// turns what it returns into rows of the dataset's schema.
//
// A curation script is a Starlark file that defines
//
//	def curate(ctx):
//	    return [ {"column": value, ...}, ... ]   # or lists in column order
//
// ctx carries dataset (path string), version (int), scheduled_at (int,
// microseconds since the Unix epoch, UTC: the schedule slot this run is for),
// scheduled_at_iso (RFC 3339) and scheduled_date ("YYYY-MM-DD"). Scripts
// read no clock of their own: the slot time is the only "now" they see.
//
// Built-ins (nothing else from the host is reachable):
//   - files.read(path) -> string, files.list(dir=".") -> sorted names: regular
//     files under the job's directory only. Paths must be relative and local;
//     the directory is opened with os.Root, so ".." and symlinks that leave
//     it are refused by the kernel-facing layer, not by string checks alone.
//   - csv.parse(text, header=True, delimiter=",") -> list of dicts keyed by
//     the header (header=False: list of lists); cells are strings.
//   - json.encode / json.decode / json.indent (go.starlark.net/lib/json).
//   - http.get(url, headers={}) -> struct(status, body, headers): only URLs
//     under a prefix on the operator's allow-list (scheme, host and port must
//     match exactly, the path must start with the entry's path; redirects are
//     checked hop by hop), with a per-request timeout and a response-size cap.
//   - timestamp.parse(s) -> int microseconds; timestamp.format(us) -> RFC
//     3339 string.
//
// Running executables is not offered at all: there is no built-in for it.
//
// Converting script values to dataset values (column type ← Starlark type):
//   - int64 ← int (must fit in 64 bits); float64 ← float or int;
//     string ← string; bytes ← bytes or string; bool ← bool;
//   - timestamp ← int (microseconds since the Unix epoch, UTC) or string in
//     RFC 3339 ("2024-05-01T00:00:00Z"), "2024-05-01T00:00:00" or
//     "2024-05-01 00:00:00" (both read as UTC), or "2024-05-01" (midnight
//     UTC);
//   - None ← NULL; a dict row that omits a column gives NULL for it.
//
// Then every row passes dataset.Schema.CheckRow; row numbers in errors are
// 1-based positions in the returned list.
//
// Invariants:
//   - Limits are enforced for every run: execution steps, wall time (on the
//     injected clock), heap growth, total bytes read from files and HTTP,
//     HTTP requests, response size, and rows returned. A breach stops the
//     script and is reported as a *LimitError naming the limit.
//   - Errors in the script carry file:line:column (*Error); schema
//     violations carry row and column (*dataset.RowError); neither panics
//     the host.
//   - The heap limit is measured on the Go heap every few thousand steps and
//     after every built-in call; it is process-wide, so callers run one
//     script at a time (the worker scheduler does) for it to be meaningful,
//     and a single allocation made by one Starlark operation (bounded by the
//     interpreter at 1 GiB) is seen only after it happened.
package script
