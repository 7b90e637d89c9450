package slack

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// deliver is a job: unless j was delivered before, it answers the question
// or handles the click and posts the reply where j says, retrying while
// Slack fails for a while. It returns an error when the reply could not
// be posted.
func (a *Adapter) deliver(ctx context.Context, j job) error {
	if j.Key != "" {
		first, err := a.dedupe.FirstSeen(ctx, j.Key, j.Window)
		if err != nil {
			a.log.Warn("dedupe store failed; answering anyway", "err", err)
		} else if !first {
			a.obs.Duplicate("slack")
			a.log.Debug("duplicate delivery ignored", "key", j.Key)
			return nil
		}
	}
	var err error
	switch j.Action {
	case "", ActionAsk:
		err = a.deliverAnswer(ctx, j)
	case ActionVoteUp, ActionVoteDown:
		err = a.deliverVote(ctx, j)
	case ActionShowSource:
		err = a.deliverContext(ctx, j)
	case ActionShare:
		err = a.deliverShare(ctx, j)
	case actionHome:
		err = a.retry.Do(ctx, func(ctx context.Context) error {
			_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: j.User, View: RenderHome(a.sources())})
			return err
		})
	default:
		return nil
	}
	if err == nil {
		return nil
	}
	if badToken(err) {
		select {
		case a.fatal <- tokenError(EnvBotToken, err):
		default:
		}
	}
	a.log.Error("posting a reply failed", "channel", j.Channel, "action", j.Action, "err", describeErr(err))
	return err
}

func (a *Adapter) sources() []*facts.Source {
	if a.srcs == nil {
		return nil
	}
	return a.srcs()
}

// deliverAnswer asks the bot and posts its reply: privately where the
// core says so (an ephemeral message, or the response URL's), else in the
// thread. A failed or timed-out answer gets bot.ErrorReply; a throttled
// one gets nothing, except a slash command, which must be answered.
func (a *Adapter) deliverAnswer(ctx context.Context, j job) error {
	q := bot.Question{Text: j.Text, User: j.User, Frontend: "slack", Conversation: j.Conversation, Via: j.Via, Share: j.Share}
	actx, cancel := context.WithTimeout(ctx, answerTimeout)
	r, err := a.bot.Answer(actx, q)
	cancel()
	if err != nil {
		a.log.Error("answering failed; apologising to the asker", "err", err)
		r = bot.ErrorReply(q)
	}
	var msg Message
	switch {
	case r.Silent() && !j.Slash:
		return nil
	case r.Silent():
		text := r.Text
		if text == "" {
			text = bot.ThrottledText
		}
		msg = Message{Text: escapeText(text), Blocks: []slack.Block{section(text)}}
	default:
		opt := RenderOptions{Echo: j.Slash || j.Action != "", Conversation: j.Conversation}
		if r.Kind == bot.KindAnswer || r.Kind == bot.KindNotGiven {
			opt.ReplyID = a.recent.Put(r)
			opt.Shareable = j.Slash && r.Visibility == bot.Private
		}
		msg = Render(r, opt)
	}
	return a.retry.Do(ctx, func(ctx context.Context) error { return a.post(ctx, j, msg, r.Visibility == bot.Private) })
}

// deliverVote records a 👍 or 👎 and thanks the voter, privately.
func (a *Adapter) deliverVote(ctx context.Context, j job) error {
	vote, text := bot.VoteUp, bot.FeedbackUpText
	if j.Action == ActionVoteDown {
		vote, text = bot.VoteDown, bot.FeedbackDownText
	}
	if a.votes != nil {
		a.votes.Record(ctx, bot.Feedback{Frontend: "slack", Vote: vote, Question: j.Value.Q, FactID: j.Value.F, User: j.User})
	}
	msg := Message{Text: escapeText(text), Blocks: []slack.Block{contextBlock(plain(text))}}
	return a.retry.Do(ctx, func(ctx context.Context) error { return a.post(ctx, j, msg, true) })
}

// deliverContext shows the clicker, privately, the sentence around each
// quote of an answer.
func (a *Adapter) deliverContext(ctx context.Context, j job) error {
	msg := Message{Text: escapeText(bot.ReplyGoneText), Blocks: []slack.Block{section(bot.ReplyGoneText)}}
	if r, ok := a.recent.Get(j.Value.R); ok {
		msg = RenderContext(r)
	}
	return a.retry.Do(ctx, func(ctx context.Context) error { return a.post(ctx, j, msg, true) })
}

// deliverShare posts a private answer for the channel: the reply shown, if
// the adapter still holds it, else the question asked again, shared.
func (a *Adapter) deliverShare(ctx context.Context, j job) error {
	r, ok := a.recent.Get(j.Value.R)
	if !ok {
		j.Text, j.Via, j.Share, j.Slash = j.Value.Q, bot.ViaSlash, true, true
		if j.Text == "" {
			msg := Message{Text: escapeText(bot.ReplyGoneText), Blocks: []slack.Block{section(bot.ReplyGoneText)}}
			return a.retry.Do(ctx, func(ctx context.Context) error { return a.post(ctx, j, msg, true) })
		}
		return a.deliverAnswer(ctx, j)
	}
	r.Visibility = bot.Public
	msg := Render(r, RenderOptions{Echo: true, Conversation: j.Value.C, ReplyID: j.Value.R})
	return a.retry.Do(ctx, func(ctx context.Context) error { return a.post(ctx, j, msg, false) })
}

// post sends one message: to the response URL (of a slash command or a
// click) when there is one, else with chat.postEphemeral when it is
// private outside a DM, else chat.postMessage, in the job's thread.
func (a *Adapter) post(ctx context.Context, j job, msg Message, private bool) error {
	if j.ResponseURL != "" {
		typ := slack.ResponseTypeInChannel
		if private {
			typ = slack.ResponseTypeEphemeral
		}
		return a.api.PostWebhookContext(ctx, j.ResponseURL, &slack.WebhookMessage{
			Text: msg.Text, Blocks: &slack.Blocks{BlockSet: msg.Blocks}, ResponseType: typ,
		})
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(msg.Text, false),
		slack.MsgOptionBlocks(msg.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if j.ThreadTS != "" {
		opts = append(opts, slack.MsgOptionTS(j.ThreadTS))
	}
	if private && !isDM(j.Channel, "") {
		_, err := a.api.PostEphemeralContext(ctx, j.Channel, j.User, opts...)
		return err
	}
	_, _, err := a.api.PostMessageContext(ctx, j.Channel, opts...)
	return err
}

// clickJobs turns a click (a block_actions interaction) into jobs, one an
// action; key identifies the delivery for deduplication.
func clickJobs(cb slack.InteractionCallback, key string) []job {
	if cb.Type != slack.InteractionTypeBlockActions {
		return nil
	}
	channel := cb.Container.ChannelID
	if channel == "" {
		channel = cb.Channel.ID
	}
	if channel == "" || cb.User.ID == "" {
		return nil // a click outside a message (the App Home tab has no buttons)
	}
	team := cb.Team.ID
	var out []job
	for i, act := range cb.ActionCallback.BlockActions {
		if act == nil {
			continue
		}
		v, err := decodeValue(act.Value)
		if err != nil {
			continue
		}
		j := job{User: cb.User.ID, Channel: channel, ResponseURL: cb.ResponseURL, Private: cb.Container.IsEphemeral,
			Value: v, Action: act.ActionID, Key: fmt.Sprintf("%s:%d", key, i), Window: CommandWindow}
		if !j.Private {
			j.ThreadTS = cb.Container.ThreadTs
			if j.ThreadTS == "" && !isDM(channel, "") {
				j.ThreadTS = cb.Container.MessageTs // answer under the message clicked
			}
		}
		switch {
		case strings.HasPrefix(act.ActionID, ActionAsk+"_"):
			j.Action, j.Text = ActionAsk, v.Q
			if strings.TrimSpace(j.Text) == "" {
				continue
			}
			if j.Private {
				// Under a private reply the answer stays private, in the
				// conversation it came from.
				j.Via, j.Conversation = bot.ViaSlash, v.C
			} else {
				j.Via, j.Conversation = bot.ViaButton, conversationKey(team, channel, j.ThreadTS)
				j.ResponseURL = "" // posted in the thread, as any answer
			}
		case act.ActionID == ActionVoteUp, act.ActionID == ActionVoteDown, act.ActionID == ActionShowSource, act.ActionID == ActionShare:
		default:
			continue
		}
		out = append(out, j)
	}
	return out
}
