// Package sql parses enigma's query language, SQLite's SELECT:
//
//	[EXPLAIN] SELECT [DISTINCT] item, … [FROM table [[AS] alias] | (SELECT …) AS alias,
//	        … | … [INNER|LEFT|CROSS] JOIN … [ON cond | USING (cols)]]
//	    [WHERE cond] [GROUP BY expr, …] [HAVING cond]
//	    [UNION [ALL] | EXCEPT | INTERSECT SELECT …]…
//	    [ORDER BY expr|number [ASC|DESC], …] [LIMIT n [OFFSET m] | LIMIT m, n]
//
// An item is *, table.*, or an expression [AS name]. Expressions: columns
// (name or table.name), literals (integers, floats, 'strings', X'hex'
// bytes, TRUE, FALSE, NULL, TIMESTAMP '2026-01-02T15:04:05Z'), the
// operators of SQLite with its precedence (|| * / % + - & | << >> < <= >
// >= = == != <> IS [NOT] [DISTINCT FROM] IN BETWEEN LIKE [ESCAPE] ISNULL
// NOTNULL NOT AND OR, unary - + ~), CASE, CAST(x AS type), function calls
// (aggregates with DISTINCT, COUNT(*)), EXISTS (SELECT …), x IN (SELECT …)
// and scalar subqueries. A dataset is a bare name or a quoted path
// "0xProvider/name" (bare paths are read after FROM, JOIN and commas of a
// FROM list).
//
// The package is pure: it turns text into a Statement and a Statement back
// into text (String), so a client can replace constants — for example
// with ciphertexts for encrypted columns — and send the result. Names,
// types and the meaning of the query are the business of package query.
//
// Invariants: Parse never panics on any input; every error is an *Error
// carrying the byte offset, line and column it points at; String of a
// parsed statement parses back to a statement with the same String;
// inputs above MaxQueryLength, nesting above MaxDepth, IN lists above
// MaxInList, joins above MaxTables and compounds above MaxCompound are
// refused, which bounds the work of every later stage.
package sql
