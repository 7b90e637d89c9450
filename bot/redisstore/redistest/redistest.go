// Package redistest runs a real redis-server for tests: on 127.0.0.1, on a
// free port, with its data in the test's temporary directory, stopped when
// the test ends. Without redis-server on the machine (Debian's redis-server
// package) the tests that need it are skipped, unless
// LIBERTERRA_REQUIRE_REDIS is set, as CI sets it: then they fail.
package redistest

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireEnv, when set to anything but "" or "0", makes a missing
// redis-server a test failure instead of a skip.
const RequireEnv = "LIBERTERRA_REQUIRE_REDIS"

// startWait bounds how long a server may take to accept connections.
const startWait = 10 * time.Second

// Server is a redis-server process. Stop and Start let a test take it away
// and bring it back on the same port with the same data (it writes an
// append-only file, synced at every write, as a production Redis with
// persistence would).
type Server struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	args []string    // more redis-server arguments
	tls  *tls.Config // how to reach a TLS server; nil for plain TCP

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Binary returns the path of redis-server, or skips (fails under
// LIBERTERRA_REQUIRE_REDIS) when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		for _, p := range []string{"/usr/bin/redis-server", "/usr/local/bin/redis-server"} {
			if _, serr := os.Stat(p); serr == nil {
				return p
			}
		}
		msg := "redis-server not found: install Debian's redis-server package (apt-get install -y redis-server) to run the Redis tests"
		if v := os.Getenv(RequireEnv); v != "" && v != "0" {
			t.Fatal(msg + " (" + RequireEnv + " is set, so they must run)")
		}
		t.Skip(msg)
	}
	return bin
}

// Start runs a new, empty redis-server for t on a free port of 127.0.0.1,
// with args added to its command line; it is stopped when t ends.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{t: t, bin: Binary(t), dir: t.TempDir(), args: args}
	return s.run()
}

// StartTLS is Start with TLS only (no plain port), on a certificate of a
// certificate authority made for the test: URL is a rediss:// URL that
// skips verifying it, and CAFile names the authority's PEM file.
func StartTLS(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, bin: Binary(t), dir: t.TempDir()}
	cert, key, pool := makeCerts(t, s.dir)
	s.tls = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	s.args = []string{"--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", filepath.Join(s.dir, "ca.pem"),
		"--tls-auth-clients", "no"}
	return s.run()
}

// CAFile is the PEM file of the certificate authority of a StartTLS server.
func (s *Server) CAFile() string { return filepath.Join(s.dir, "ca.pem") }

func (s *Server) run() *Server {
	t := s.t
	t.Helper()
	var err error
	for range 5 { // another process may take the free port before the server does
		if s.port, err = freePort(); err != nil {
			break
		}
		if err = s.start(); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL is a redis:// URL of the server's database 0 (rediss:// that skips
// verifying the certificate, for a StartTLS server).
func (s *Server) URL() string {
	if s.tls != nil {
		return "rediss://" + s.Addr() + "/0?skip_verify=true"
	}
	return "redis://" + s.Addr() + "/0"
}

// Pause freezes the server (SIGSTOP): it keeps its connections and port
// but answers nothing, like a host gone silent. Resume thaws it.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume thaws a paused server (SIGCONT).
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Signal(sig)
	}
}

// Start brings a stopped server back on its port, with the data it had.
func (s *Server) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatalf("restarting redis-server: %v", err)
	}
}

// Stop stops the server (SIGTERM, as an orchestrator does); it is a no-op
// when stopped.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGCONT) // if paused
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(startWait):
		cmd.Process.Kill()
		<-done
	}
}

// Do runs one command on the server, as redis-cli would, and returns its
// reply in RESP. Tests use it to look at or move the server's state
// without a client library.
func (s *Server) Do(args ...string) (string, error) {
	var c net.Conn
	var err error
	if s.tls != nil {
		c, err = tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", s.Addr(), s.tls)
	} else {
		c, err = net.DialTimeout("tcp", s.Addr(), time.Second)
	}
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(startWait))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	args := []string{"--bind", "127.0.0.1", "--port", strconv.Itoa(s.port), "--protected-mode", "yes",
		"--dir", s.dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
		"--logfile", filepath.Join(s.dir, "redis.log"), "--daemonize", "no"}
	if s.tls != nil {
		args[3] = "0"
		args = append(args, "--tls-port", strconv.Itoa(s.port))
	}
	cmd := exec.Command(s.bin, append(args, s.args...)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	ctx, cancel := context.WithTimeout(context.Background(), startWait)
	defer cancel()
	for {
		// PONG, or NOAUTH from a server that wants a password: it answers.
		if reply, err := s.Do("PING"); err == nil && (reply == "+PONG" || strings.HasPrefix(reply, "-NOAUTH")) {
			s.cmd, s.done = cmd, done
			return nil
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server exited: %s", lastLines(string(log), 5))
		case <-ctx.Done():
			cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server did not answer PING within %v", startWait)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
