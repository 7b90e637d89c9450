package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/liberterra/liberterra/adapters/repl"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// errCheckFailed means facts check found problems and has listed them.
var errCheckFailed = errors.New("fact base check failed")

func (m *Main) runFacts(args []string) error {
	if len(args) == 0 {
		return usagef("facts needs a subcommand: check, list or compile")
	}
	fs := m.flagSet("facts " + args[0])
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("facts %s takes no arguments, got %q", args[0], fs.Args())
	}
	switch args[0] {
	case "check":
		return m.factsCheck()
	case "compile":
		return m.factsCompile()
	case "list":
		base, err := m.loadBase()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTOPIC\tANSWER")
		for _, f := range base.Facts {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", f.ID, f.Topic, strings.Join(strings.Fields(f.Answer), " "))
		}
		return tw.Flush()
	default:
		return usagef("unknown facts subcommand %q (want check, list or compile)", args[0])
	}
}

// factsCheck lists every problem in the fact base, one a line.
func (m *Main) factsCheck() error {
	name := m.factsDir
	fsys := facts.EmbeddedFS()
	if name == "" {
		name = "(embedded)"
	} else {
		fsys = os.DirFS(name)
	}
	base, err := facts.Load(fsys)
	if err != nil {
		fmt.Fprintf(m.Stderr, "%s: %v\n", name, err)
		return errCheckFailed
	}
	probs := base.Check()
	for _, p := range probs {
		fmt.Fprintf(m.Stderr, "%s: %s\n", name, p)
	}
	if len(probs) > 0 {
		fmt.Fprintf(m.Stderr, "%d problem(s) in fact base %s\n", len(probs), name)
		return errCheckFailed
	}
	var quotes int
	for _, f := range base.Facts {
		quotes += len(f.Citations)
	}
	fmt.Fprintf(m.Stdout, "ok: %d facts, %d quotes checked against %d sources, %d entities\n",
		len(base.Facts), quotes, len(base.Sources), len(base.Entities))
	return nil
}

// factsCompile checks the base in --facts DIR and writes its snapshot
// there, which later runs start from while the files stay as they are.
func (m *Main) factsCompile() error {
	if m.factsDir == "" {
		return usagef("facts compile needs --facts DIR: the embedded base's snapshot is built into the binary")
	}
	b, err := bot.Compile(m.factsDir)
	if err != nil {
		return err
	}
	path := filepath.Join(m.factsDir, bot.SnapshotFile)
	size := int64(0)
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(m.Stdout, "wrote %s (%s, %d facts): --facts %s starts from it until a file there changes\n",
		path, byteSize(size), len(b.Base().Facts), m.factsDir)
	return nil
}

// byteSize writes n bytes for people: 1.2 MB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (m *Main) runSources(args []string) error { return m.runCommand("sources", args) }
func (m *Main) runTopics(args []string) error  { return m.runCommand("topics", args) }

var background = context.Background()

// runCommand prints a built-in chat command's reply.
func (m *Main) runCommand(name string, args []string) error {
	fs := m.flagSet(name)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s takes no arguments", name)
	}
	b, err := m.newBot()
	if err != nil {
		return err
	}
	r, err := b.Answer(background, bot.Question{Text: name, Frontend: "cli"})
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(m.Stdout, repl.Render(r, m.width()))
	return err
}
