package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// gapsFile is the gaps log: appended to, mode 0600 (the questions people
// ask are theirs), and reopened on SIGHUP so that it can be rotated (move
// the file away, send SIGHUP, and serve starts a new one at the same path).
type gapsFile struct {
	name string

	mu sync.Mutex
	f  *os.File
}

// openGapsFile opens name for appending, creating it if need be, and makes
// it mode 0600 even when it existed with a looser mode.
func openGapsFile(name string) (*gapsFile, error) {
	f, err := openPrivate(name)
	if err != nil {
		return nil, err
	}
	return &gapsFile{name: name, f: f}, nil
}

func openPrivate(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			return nil, pe.Err
		}
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("making it private (mode 0600): %w", errors.Unwrap(err))
	}
	return f, nil
}

// Write appends p in one write, so that lines stay whole.
func (g *gapsFile) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.f == nil {
		return 0, os.ErrClosed
	}
	return g.f.Write(p)
}

// Reopen closes the file and opens name again: after a rotation, a new
// file. On failure the old file stays in use.
func (g *gapsFile) Reopen() error {
	f, err := openPrivate(g.name)
	if err != nil {
		return err
	}
	g.mu.Lock()
	old := g.f
	g.f = f
	g.mu.Unlock()
	if old != nil {
		return old.Close()
	}
	return nil
}

// Close closes the file.
func (g *gapsFile) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.f == nil {
		return nil
	}
	err := g.f.Close()
	g.f = nil
	return err
}
