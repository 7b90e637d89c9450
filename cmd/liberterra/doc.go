/*
Liberterra answers questions about INTERPOL's Operation Liberterra II (29
September to 4 October 2024) from five news articles, citing each answer
word for word. When the articles don't say, it says so and does not guess.

Usage:

	liberterra [--facts DIR]                 the REPL on a terminal; else like ask
	liberterra ask [--json] [--explain] [QUESTION...]
	                                         answer a question, or one a line from stdin
	liberterra eval [--show-failures] FILE   score the bot on a case file of the shared scorer's format
	liberterra facts check                   check the fact base: every quote in its source
	liberterra facts list                    list every fact
	liberterra sources                       list the source articles
	liberterra topics                        list what the bot can answer about
	liberterra serve                         serve Slack and Discord, as configured by environment
	liberterra gaps FILE                     group the questions serve --gaps logged, by topic,
	                                         and list the answers people marked wrong (👎)
	liberterra help, -h, --help              every command and flag
	liberterra --version                     the version, commit and Go release

The flag --facts DIR loads a fact base from DIR (the layout of facts/data in
the source tree) instead of the one built into the binary, so a curator can
update facts without rebuilding. A fact base that fails the check is refused
at start-up with one line per problem, naming the file, line and fact.

With --json, ask prints one JSON object a line:

	{"question": str, "answered": bool, "answer": str, "confidence": float,
	 "fact_id": str, "conflict": bool, "suggestions": [str],
	 "sources": [{"id", "title", "publisher", "url", "quote"}], "kind": str}

Reading questions from stdin, ask writes one reply per question, in order,
flushing after each, so another program can drive it line by line.

Exit status is 0 on success (and for -h or --help), 1 on an error (or a
failed facts check) and 2 for an unknown command or flag, or ask with no
question on a terminal.
*/
package main
