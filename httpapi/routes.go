package httpapi

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
)

// route is one API endpoint; the list is the mux's and the OpenAPI
// document's (a test checks they agree).
type route struct {
	pattern string // a net/http pattern: "GET /api/v1/…"
	handler func(*Server) http.HandlerFunc
}

var apiRoutes = []route{
	{"GET /api/v1/datasets", func(s *Server) http.HandlerFunc { return s.listDatasets }},
	{"GET /api/v1/datasets/{id}", func(s *Server) http.HandlerFunc { return s.getDataset }},
	{"GET /api/v1/datasets/{provider}/{name}", func(s *Server) http.HandlerFunc { return s.getDataset }},
	{"GET /api/v1/validators", func(s *Server) http.HandlerFunc { return s.getValidators }},
	{"GET /api/v1/police", func(s *Server) http.HandlerFunc { return s.getPolice }},
	{"GET /api/v1/network", func(s *Server) http.HandlerFunc { return s.getNetwork }},
	{"GET /api/v1/status", func(s *Server) http.HandlerFunc { return s.getStatus }},
	{"GET /api/v1/openapi.json", func(s *Server) http.HandlerFunc { return s.getOpenAPI }},
}

//go:embed openapi.json
var openAPIDocument []byte

//go:embed explorer
var explorerFiles embed.FS

// explorerCSP keeps the explorer's pages to this node's own scripts, styles
// and API: nothing is loaded from anywhere else.
const explorerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range apiRoutes {
		mux.HandleFunc(rt.pattern, rt.handler(s))
	}
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: the API is described at /api/v1/openapi.json")
	})
	static, err := fs.Sub(explorerFiles, "explorer")
	if err != nil {
		panic(err) // the embedded directory exists at build time
	}
	files := http.FileServerFS(static)
	mux.Handle("GET /", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", explorerCSP)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
	return mux
}

func (s *Server) getOpenAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, json.RawMessage(openAPIDocument))
}
