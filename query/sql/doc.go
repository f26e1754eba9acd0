// Package sql parses enigma's query language, a readable subset of SQL:
//
//	[EXPLAIN] SELECT * | item [, item]… FROM dataset
//	    [WHERE condition]
//	    [GROUP BY column [, column]…]
//	    [ORDER BY key [ASC|DESC] [, key [ASC|DESC]]…]
//	    [LIMIT n [OFFSET m]]
//
// An item is a column or an aggregate — COUNT(*), COUNT(col), SUM, AVG,
// MIN, MAX — optionally renamed with AS. A condition combines comparisons
// (=, !=, <>, <, <=, >, >=), IN (…), BETWEEN … AND …, IS [NOT] NULL with
// AND, OR, NOT and parentheses. Literals: integers, floats, 'strings',
// X'hex' bytes, TRUE, FALSE, NULL and TIMESTAMP '2026-01-02T15:04:05Z'.
// The dataset is a bare name or a quoted path "0xProvider/name".
//
// The package is pure: it turns text into a Statement and a Statement back
// into text (String), so a client can replace constants — for example
// with ciphertexts for encrypted columns — and send the result.
//
// Invariants: Parse never panics on any input; every error is an *Error
// carrying the byte offset, line and column it points at; inputs above
// MaxQueryLength, nesting above MaxDepth and IN lists above MaxInList are
// refused, which bounds the work and the stack of every later stage.
package sql
