package consensus

import (
	"bytes"
	"errors"
)

// Client is the client side of the protocol as a pure state machine: it
// numbers requests, collects replies and accepts a result once f+1 distinct
// replicas report the same one (at least one of them is honest). The shell
// sends each request to every replica and again whenever Tick says so.
type Client struct {
	id         ClientID
	n, f       int
	retryTicks int
	ts         uint64
	inflight   *Request
	replies    map[ReplicaID][]byte
	waited     int
}

// ErrClientBusy is returned by Submit while a request is outstanding.
var ErrClientBusy = errors.New("client already has a request outstanding")

// NewClient returns a client for a cluster of n replicas. Timestamps start
// after lastTimestamp (a client that restarts must pass its last one, or a
// wall-clock reading); retryTicks is the retransmission interval.
func NewClient(id ClientID, n int, lastTimestamp uint64, retryTicks int) *Client {
	return NewClientTolerating(id, n, (n-1)/3, lastTimestamp, retryTicks)
}

// NewClientTolerating is NewClient for replies from n replicas of which at
// most f may be faulty (replicas of several validator epochs, say).
func NewClientTolerating(id ClientID, n, f int, lastTimestamp uint64, retryTicks int) *Client {
	if retryTicks <= 0 {
		retryTicks = 20
	}
	return &Client{id: id, n: n, f: f, retryTicks: retryTicks, ts: lastTimestamp, replies: make(map[ReplicaID][]byte)}
}

// Submit starts a request; send the returned request to every replica.
func (c *Client) Submit(payload []byte) (Request, error) {
	if c.inflight != nil {
		return Request{}, ErrClientBusy
	}
	c.ts++
	req := Request{Client: c.id, Timestamp: c.ts, Payload: payload}
	c.inflight = &req
	clear(c.replies)
	c.waited = 0
	return req, nil
}

// ID returns the client's ID.
func (c *Client) ID() ClientID { return c.id }

// NextTimestamp is the timestamp the next Submit will use (so a payload
// can authenticate it).
func (c *Client) NextTimestamp() uint64 { return c.ts + 1 }

// Outstanding returns the request in flight, if any.
func (c *Client) Outstanding() (Request, bool) {
	if c.inflight == nil {
		return Request{}, false
	}
	return *c.inflight, true
}

// Step takes a reply and reports the result once f+1 replicas agree on it.
func (c *Client) Step(rep Reply) (result []byte, done bool) {
	if c.inflight == nil || rep.Client != c.id || rep.Timestamp != c.inflight.Timestamp || int(rep.Replica) >= c.n {
		return nil, false
	}
	if _, dup := c.replies[rep.Replica]; dup {
		return nil, false
	}
	c.replies[rep.Replica] = rep.Result
	matching := 0
	for _, res := range c.replies {
		if bytes.Equal(res, rep.Result) {
			matching++
		}
	}
	if matching < c.f+1 {
		return nil, false
	}
	c.inflight = nil
	return rep.Result, true
}

// Tick advances the client's clock; it returns the outstanding request when
// it is time to send it again.
func (c *Client) Tick() (Request, bool) {
	if c.inflight == nil {
		return Request{}, false
	}
	c.waited++
	if c.waited < c.retryTicks {
		return Request{}, false
	}
	c.waited = 0
	return *c.inflight, true
}
