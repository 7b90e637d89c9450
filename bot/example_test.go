package bot_test

import (
	"context"
	"fmt"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// A front end loads a fact base once, then asks the bot each question and
// renders the reply: an answer with its citations, or a refusal with
// topics the sources do cover.
func ExampleBot_Answer() {
	base, err := facts.Embedded()
	if err != nil {
		panic(err)
	}
	b := bot.New(base)
	for _, q := range []string{"How many victims were rescued?", "What is the capital of Senegal?"} {
		r, err := b.Answer(context.Background(), bot.Question{Text: q, User: "U1", Frontend: "example"})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s, cited %t\n", q, r.Kind, len(r.Citations) > 0)
	}
	// Output:
	// How many victims were rescued?: answer, cited true
	// What is the capital of Senegal?: declined, cited false
}
