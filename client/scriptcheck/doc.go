// Package scriptcheck is the provider's pre-flight of a curation script:
// Starlark, the client.ScriptChecker that compiles a listing's script and
// makes the check run in the workers' own Starlark sandbox (worker/script)
// before anything is sent or spent.
//
// It is apart from package client so that a subscriber's program, which
// lists nothing, does not link the Starlark interpreter; a provider's
// program (cmd/enigma) sets client.PreflightOptions.Script to Starlark{}.
package scriptcheck
