package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// Main is the whole command, with its inputs and outputs as fields so tests
// can run it in-process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal reports whether Stdin is an interactive terminal; nil
	// means it checks os.Stdin.
	IsTerminal func() bool

	factsDir string
	// factories are the front ends serve may start; nil means frontEnds().
	factories []adapterFactory
	hooks     *serveHooks // tests steer serve through these; nil otherwise
	// botOpts are given to every bot newBot makes (serve's shared
	// conversation store, kept across fact-base reloads).
	botOpts []bot.Option
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// errUsage marks a usage error: the message is printed with the usage hint
// and the exit status is 2.
var errUsage = errors.New("usage")

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
func (e usageError) Unwrap() error { return errUsage }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// Run runs the command line args (without the program name) and returns the
// exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	err := m.run(ctx, args)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(m.Stdout, usage)
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(m.Stderr, "liberterra: %v\nRun 'liberterra help' for usage.\n", err)
		return exitUsage
	case errors.Is(err, errCheckFailed):
		return exitError
	default:
		fmt.Fprintf(m.Stderr, "liberterra: %v\n", err)
		return exitError
	}
}

func (m *Main) run(ctx context.Context, args []string) error {
	fs := m.flagSet("liberterra")
	version := fs.Bool("version", false, "print the version and exit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *version {
		_, err := fmt.Fprintln(m.Stdout, versionLine())
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		if m.interactive() {
			return m.runREPL(ctx)
		}
		return m.runAsk(ctx, nil)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "ask":
		return m.runAsk(ctx, rest)
	case "repl":
		return m.runREPL(ctx)
	case "facts":
		return m.runFacts(rest)
	case "sources":
		return m.runSources(rest)
	case "topics":
		return m.runTopics(rest)
	case "serve":
		return m.runServe(ctx, rest)
	case "gaps":
		return m.runGaps(rest)
	case "eval":
		return m.runEval(ctx, rest)
	case "help", "-h", "--help":
		return flag.ErrHelp
	case "version":
		_, err := fmt.Fprintln(m.Stdout, versionLine())
		return err
	default:
		return usagef("unknown command %q", cmd)
	}
}

// flagSet makes a flag set that reports errors as usage errors and accepts
// the global --facts flag anywhere.
func (m *Main) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&m.factsDir, "facts", m.factsDir, "load the fact base from `DIR` instead of the built-in one")
	return fs
}

// parse parses a subcommand's flags, turning errors into usage errors;
// -h and --help come back as flag.ErrHelp (the help, exit status 0).
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return flag.ErrHelp
	default:
		return usagef("%s: %v", fs.Name(), err)
	}
}

// versionLine says which liberterra this is, from the build information
// the go command records: the module version (a release when installed
// with go install …@version, "(devel)" when built from a work tree), the
// commit when known, and the Go release.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "liberterra (version unknown: built without module information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	line := "liberterra " + v
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " commit " + rev
		if modified == "true" {
			line += " (modified)"
		}
	}
	return line + " " + bi.GoVersion
}

func (m *Main) interactive() bool {
	if m.IsTerminal != nil {
		return m.IsTerminal()
	}
	return isTerminal(os.Stdin)
}

// loadBase loads the fact base named by --facts, or the embedded one.
func (m *Main) loadBase() (*facts.Base, error) {
	if m.factsDir == "" {
		return facts.Embedded()
	}
	if st, err := os.Stat(m.factsDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--facts %s: not a directory", m.factsDir)
	}
	return facts.Open(os.DirFS(m.factsDir), m.factsDir)
}

// newBot prepares the bot on the fact base named by --facts, or the
// embedded one, from its snapshot where one is up to date (see
// `liberterra facts compile`).
func (m *Main) newBot() (*bot.Bot, error) {
	if m.factsDir == "" {
		// Loading the embedded base allocates a few megabytes that all
		// stay: a collection in the middle of it finds nothing to free and
		// was a sixth of the start-up of `liberterra ask`. (Not for a
		// --facts base, which may be large: there the default holds.)
		if os.Getenv("GOGC") == "" {
			defer debug.SetGCPercent(debug.SetGCPercent(400))
		}
		return bot.Embedded(m.botOpts...)
	}
	b, err := bot.Open(m.factsDir, m.botOpts...)
	if err != nil {
		return nil, fmt.Errorf("--facts %v", err)
	}
	return b, nil
}

const usage = `liberterra answers questions about INTERPOL's Operation Liberterra II,
citing the news articles word for word.

Usage:
  liberterra [--facts DIR]                 start the REPL on a terminal (else read questions
                                           from standard input, as ask does)
  liberterra repl                          start the REPL: Ctrl-C drops the line, Ctrl-D or
                                           "quit" leaves; one conversation per session
  liberterra ask [FLAGS] [QUESTION...]     answer one question, or one a line from stdin
      --json        one JSON object a reply: question, answered, answer, confidence,
                    fact_id, conflict, suggestions, sources, kind; an input line that is
                    {"question": "...", "conversation": "ID"} joins that conversation
      --explain     show how the matcher read each question (for curators)
  liberterra eval [FLAGS] FILE.jsonl       score the bot on a case file of the shared scorer's
                                           format, quotes checked against the fact base's articles
      --show-failures   print each case the bot gets wrong or that can't be judged
      --seeds DIR       check quotes against the texts in DIR instead
  liberterra facts check                   check the fact base: every quote in its source
  liberterra facts list                    list every fact: id, topic, answer
  liberterra facts compile --facts DIR     check the base in DIR and write a snapshot there
                                           that later runs start from (much faster)
  liberterra sources                       list the source articles
  liberterra topics                        list what the bot can answer about
  liberterra serve [FLAGS]                 run the chat front ends configured by environment,
                                           with /healthz, /readyz and /metrics (docs/operations.md)
  liberterra gaps [--feedback FILE] FILE   what the bot could not answer (the file serve --gaps
                                           writes), grouped by topic, and the answers people
                                           marked wrong (the feedback log beside it, or FILE)
  liberterra gaps --redis-url URL          the same from the streams of serve --gaps redis
                                           (default $LIBERTERRA_REDIS_URL)
  liberterra help, -h, --help              this text
  liberterra version, --version            the version, commit and Go release of this binary

Flags of every command:
  --facts DIR    load the fact base from DIR (same layout as facts/data) instead
                 of the one built into the binary

Serve flags:
  --log-format text|json   log format (default text)
  --metrics-addr ADDR      serve /metrics, /healthz, /readyz on this internal address
                           (default $LIBERTERRA_METRICS_ADDR; unset: on LIBERTERRA_ADDR)
  --rate-burst N           questions a user may ask at once (default 5)
  --rate-every DURATION    one more question per user this often (default 3s; 0: no limit)
  --queue N                answers each front end may have waiting to be posted (default 256)
  --workers N              answers each front end posts at once (default 16)
  --shutdown-timeout D     how long to post acknowledged answers on SIGTERM
                           (default: sized to the queue, 21s for the defaults)
  --gaps FILE              append declined and low-confidence questions to FILE (JSON lines);
                           --gaps redis: to a capped stream in Redis, shared by the replicas
  --gaps-users             record user ids in the gaps and feedback logs too (off by default)
  --gaps-below C           answers under this confidence count as gaps (default 0.6)
  --feedback FILE          append the 👍/👎 people give answers to FILE (JSON lines; default
                           feedback.jsonl beside the --gaps file, the feedback stream with
                           --gaps redis, else not written); --feedback redis: to the stream
  --redis-url URL          keep what replicas share (event dedupe, rate limits, conversations)
                           in Redis: redis://[user:password@]host:port[/db], rediss:// for TLS
                           (default $LIBERTERRA_REDIS_URL; unset: in the process)
  SIGHUP reloads the fact base (a base that fails its check is rejected) and
  reopens the gaps and feedback files.

In the REPL and in chat, "help", "topics" and "sources" work as questions too.
`
