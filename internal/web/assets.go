package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// Assets are a package's embedded static files (scripts, styles, icons),
// served under one prefix with a content hash in their URLs, so browsers
// keep them for a year and a new build is fetched at once. Each role's
// package (door, desk, expo, leads, …) has its own.
type Assets struct {
	prefix string
	load   func() map[string]Asset
}

// Asset is one embedded file.
type Asset struct {
	Body        []byte
	ContentType string
	Version     string // the first 6 bytes of its SHA-256, in hex
}

// assetTypes are the content types of the files packages embed; anything
// else is served as bytes.
var assetTypes = map[string]string{
	".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".png": "image/png", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8",
	".webmanifest": "application/manifest+json",
}

// NewAssets serves the files below dir of fsys at prefix ("/desk/static/").
// The files are read on first use.
func NewAssets(fsys fs.FS, dir, prefix string) *Assets {
	return &Assets{prefix: prefix, load: sync.OnceValue(func() map[string]Asset {
		out := map[string]Asset{}
		fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			ct := assetTypes[path.Ext(p)]
			if ct == "" {
				ct = "application/octet-stream"
			}
			sum := sha256.Sum256(b)
			out[strings.TrimPrefix(p, dir+"/")] = Asset{Body: b, ContentType: ct, Version: hex.EncodeToString(sum[:6])}
			return nil
		})
		return out
	})}
}

// Get returns the named file.
func (a *Assets) Get(name string) (Asset, bool) {
	f, ok := a.load()[name]
	return f, ok
}

// URL is the file's versioned URL, for templates; a name the package
// lacks gets its unversioned URL (and a 404 when fetched).
func (a *Assets) URL(name string) string {
	f, ok := a.Get(name)
	if !ok {
		return a.prefix + name
	}
	return a.prefix + name + "?v=" + f.Version
}

// URLs maps every file to its versioned URL.
func (a *Assets) URLs() map[string]string {
	files := a.load()
	out := make(map[string]string, len(files))
	for name, f := range files {
		out[name] = a.prefix + name + "?v=" + f.Version
	}
	return out
}

// ServeHTTP serves the file named by the route's {name}: cached for a
// year when the URL carries its current version, revalidated otherwise.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.Get(r.PathValue("name"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == f.Version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Write(f.Body)
}
