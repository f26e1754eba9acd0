package overlay

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/enigma-mpc/enigma/identity"
	"github.com/enigma-mpc/enigma/overlay/kademlia"
)

// ALPN is the application protocol negotiated on every overlay connection.
// Version 2: kad messages travel without strong signatures (the connection
// authenticates them), which version-1 nodes would refuse. Version 3: kad
// calls share one multiplexed stream per connection (Host.Multiplex),
// which a version-2 node would refuse as an empty request.
const ALPN = "enigma/3"

// ErrPeerIdentity marks a TLS peer that is not who it must be.
var ErrPeerIdentity = errors.New("peer identity rejected")

// nodeCertificate makes a self-signed certificate for the node key. Its only
// job is to carry the Ed25519 public key through the TLS 1.3 handshake,
// whose CertificateVerify proves the peer holds the private key.
func nodeCertificate(key *identity.NodeKey, now time.Time) (tls.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: key.ID().String()},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key.Private())
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("self-sign node certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key.Private()}, nil
}

// peerID extracts and checks the node ID from a peer's certificate chain:
// exactly one self-signed certificate with an Ed25519 key whose ID passes
// the static puzzle.
func peerID(rawCerts [][]byte, staticBits int) (identity.NodeID, error) {
	if len(rawCerts) != 1 {
		return identity.NodeID{}, fmt.Errorf("%w: %d certificates, want exactly 1", ErrPeerIdentity, len(rawCerts))
	}
	cert, err := x509.ParseCertificate(rawCerts[0])
	if err != nil {
		return identity.NodeID{}, fmt.Errorf("%w: %w", ErrPeerIdentity, err)
	}
	pub, ok := cert.PublicKey.(ed25519.PublicKey)
	if !ok {
		return identity.NodeID{}, fmt.Errorf("%w: certificate key is %T, want Ed25519", ErrPeerIdentity, cert.PublicKey)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return identity.NodeID{}, fmt.Errorf("%w: certificate not signed by its own key: %w", ErrPeerIdentity, err)
	}
	id := identity.IDFromPublicKey(pub)
	if !kademlia.StaticOK(id, staticBits) {
		return identity.NodeID{}, fmt.Errorf("%w: node %s fails the static puzzle", ErrPeerIdentity, id.Short())
	}
	return id, nil
}

// certChecker runs peerID and remembers the certificates that passed, so a
// peer that connects again (after an idle close, or from the other side)
// costs no second parse and self-signature check, and the accept loop can
// name the peer of a handshake the TLS stack already checked. An entry is
// the fact "this exact DER certificate passed peerID at this host's static
// puzzle difficulty"; each handshake's proof of the key (TLS 1.3
// CertificateVerify) is still checked by crypto/tls every time. Bounded,
// oldest out first. Safe for concurrent use.
type certChecker struct {
	staticBits int
	max        int

	mu    sync.Mutex
	ids   map[[32]byte]identity.NodeID
	order [][32]byte // insertion order, for eviction
}

func newCertChecker(staticBits int) *certChecker {
	return &certChecker{staticBits: staticBits, max: 1024, ids: map[[32]byte]identity.NodeID{}}
}

// peerID is the package's peerID, through the cache.
func (c *certChecker) peerID(rawCerts [][]byte) (identity.NodeID, error) {
	if len(rawCerts) != 1 {
		return peerID(rawCerts, c.staticBits)
	}
	h := sha256.Sum256(rawCerts[0])
	c.mu.Lock()
	id, ok := c.ids[h]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	id, err := peerID(rawCerts, c.staticBits)
	if err != nil {
		return id, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.ids[h]; !ok {
		if len(c.order) >= c.max {
			delete(c.ids, c.order[0])
			c.order = c.order[1:]
		}
		c.ids[h] = id
		c.order = append(c.order, h)
	}
	return id, nil
}

// serverTLS accepts any client whose certificate passes peerID.
func serverTLS(cert tls.Certificate, certs *certChecker) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS13,
		NextProtos:   []string{ALPN},
		ClientAuth:   tls.RequireAnyClientCert,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			_, err := certs.peerID(raw)
			return err
		},
	}
}

// clientTLS accepts only the server whose key hashes to want. Chain
// verification against CAs is off (there are none); VerifyPeerCertificate
// does the real check.
func clientTLS(cert tls.Certificate, want identity.NodeID, certs *certChecker) *tls.Config {
	return &tls.Config{
		Certificates:       []tls.Certificate{cert},
		MinVersion:         tls.VersionTLS13,
		NextProtos:         []string{ALPN},
		ServerName:         "enigma-node",
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			got, err := certs.peerID(raw)
			if err != nil {
				return err
			}
			if got != want {
				return fmt.Errorf("%w: reached node %s, dialled %s", ErrPeerIdentity, got.Short(), want.Short())
			}
			return nil
		},
	}
}
