// Package nodeinfo is the node information protocol (enigma/node/info/v1)
// and the names of the roles a node runs: a node says which roles it runs
// and, for one dataset, what they do with it — whether it takes the dataset
// (a listing's pre-flight), the version it knows, a worker's job, keys and
// last runs, a persistence node's versions and rows. It owns the protocol's
// name, signing domain, messages and limits, the request's signature check,
// and Ask, the client call.
//
// It sits below package node so that a provider's program (package client:
// pre-flight, status) and the HTTP API ask nodes without linking one. The
// answering side — each role filling in what it knows — is node.InfoServer.
//
// Invariants:
//   - Run errors, which may quote the provider's data, go only to a request
//     the dataset's provider account signed (Request.Signer), unexpired and
//     expiring within MaxLifetime.
//   - Ask accepts an answer only from the node it asked (the QUIC
//     connection proves the node ID; the answer must name the same node).
package nodeinfo
