package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// cors answers cross-origin requests to /graphql from the allowed origins
// only. Credentials are never allowed: the API has no cookies or
// sessions, and a page of another origin must not ride on a user's.
type cors struct {
	origins map[string]bool
	any     bool
}

// corsMaxAge is how long, in seconds, a browser may reuse a preflight
// answer.
const corsMaxAge = "600"

func newCORS(origins []string) *cors {
	c := &cors{origins: map[string]bool{}}
	for _, o := range origins {
		if o == "*" {
			c.any = true
		}
		c.origins[o] = true
	}
	return c
}

// wrap adds CORS to h. With no origin allowed it adds nothing: browsers
// then refuse cross-origin reads, as they do by default.
//
// A preflight (OPTIONS with Access-Control-Request-Method) from an
// allowed origin answers 204 with the methods and headers the endpoint
// takes; from any other origin 403 without CORS headers. Other requests
// from an allowed origin get Access-Control-Allow-Origin and the headers
// a widget may read (ETag, Retry-After, X-Request-Id); from other origins
// they are served without CORS headers, which browsers refuse to expose.
func (c *cors) wrap(h http.Handler) http.Handler {
	if len(c.origins) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := w.Header()
		header.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		allowed := origin != "" && (c.any || c.origins[origin])
		allowOrigin := origin
		if c.any {
			allowOrigin = "*"
		}
		if r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != "" {
			header.Add("Vary", "Access-Control-Request-Method")
			header.Add("Vary", "Access-Control-Request-Headers")
			if !allowed {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			header.Set("Access-Control-Allow-Origin", allowOrigin)
			header.Set("Access-Control-Allow-Methods", "GET, POST")
			header.Set("Access-Control-Allow-Headers", "Accept, Content-Type, If-None-Match, X-Request-Id")
			header.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			header.Set("Access-Control-Allow-Origin", allowOrigin)
			header.Set("Access-Control-Expose-Headers", "ETag, Retry-After, X-Request-Id")
		}
		h.ServeHTTP(w, r)
	})
}

// normaliseOrigin returns o as a browser writes an Origin header, "" for
// an empty entry.
func normaliseOrigin(o string) (string, error) {
	o = strings.TrimSpace(o)
	if o == "" || o == "*" {
		return o, nil
	}
	u, err := url.Parse(o)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New("want http:// or https://")
	case u.Host == "" || u.User != nil:
		return "", errors.New("want scheme://host[:port]")
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "", errors.New("an origin has no path, query or fragment")
	}
	host := strings.ToLower(u.Host)
	// Browsers leave out the scheme's default port.
	if (u.Scheme == "http" && strings.HasSuffix(host, ":80")) || (u.Scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return u.Scheme + "://" + host, nil
}
