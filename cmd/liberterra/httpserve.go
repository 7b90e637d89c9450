package main

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/liberterra/liberterra/adapters/slack"
)

// httpLimits bound what HTTP clients can make serve hold: connections,
// header and body reading time, idle keep-alive connections, and (through
// the Slack adapter) concurrent body reads and body sizes. Together they
// keep memory bounded whatever clients do: at most maxConns connections,
// each with a few KiB of buffers and headers, and at most
// slack.MaxConcurrentReads bodies of at most slack.MaxEventBytes.
type httpLimits struct {
	readHeader     time.Duration // to send the request line and headers
	read           time.Duration // backstop for a whole request; the Slack endpoints set their own body deadline
	write          time.Duration // to read the response
	idle           time.Duration // a keep-alive connection waiting for its next request
	maxHeaderBytes int
	maxConns       int           // on the public address; more wait in the kernel's backlog
	maxConnsOps    int           // on the metrics address
	shutdown       time.Duration // to let requests in progress finish before connections are cut
	slack          slack.Limits
}

var defaultHTTPLimits = httpLimits{
	readHeader:     5 * time.Second,
	read:           10 * time.Second,
	write:          15 * time.Second,
	idle:           60 * time.Second,
	maxHeaderBytes: 16 << 10,
	maxConns:       1024,
	maxConnsOps:    64,
	shutdown:       3 * time.Second,
}

// newHTTPServer is an http.Server with l's timeouts, logging through log.
func newHTTPServer(h http.Handler, l httpLimits, log slog.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: l.readHeader,
		ReadTimeout:       l.read,
		WriteTimeout:      l.write,
		IdleTimeout:       l.idle,
		MaxHeaderBytes:    l.maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log, slog.LevelWarn),
	}
}

// limitListener accepts at most n connections at once; Accept waits for a
// connection to close when n are open.
func limitListener(l net.Listener, n int) net.Listener {
	return &limitedListener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
