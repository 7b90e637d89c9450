package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/liberterra/liberterra/bot"
)

// places is what the adapter learns from the gateway about where messages
// come from: which channels are threads, and the bot's own (managed) role
// in each guild, so that a mention of the role addresses the bot. Bounded:
// past maxPlaces entries a map starts again.
type places struct {
	mu      sync.Mutex
	threads map[string]bool   // channel id: is it a thread
	roles   map[string]string // guild id: the bot's managed role
}

const maxPlaces = 100_000

func (p *places) init() {
	p.threads = map[string]bool{}
	p.roles = map[string]string{}
}

func (p *places) setThread(channel string, thread bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.threads) >= maxPlaces {
		p.threads = map[string]bool{}
	}
	p.threads[channel] = thread
}

func (p *places) thread(channel string) (thread, known bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	thread, known = p.threads[channel]
	return thread, known
}

func (p *places) setRole(guild, role string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.roles) >= maxPlaces {
		p.roles = map[string]string{}
	}
	p.roles[guild] = role
}

func (p *places) role(guild string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.roles[guild]
}

// rawChannel and rawRole are the fields of the gateway's channels and roles
// the adapter reads (discordgo's Role has no tags).
type rawChannel struct {
	ID   string                `json:"id"`
	Type discordgo.ChannelType `json:"type"`
}

type rawRole struct {
	ID   string `json:"id"`
	Tags *struct {
		BotID string `json:"bot_id"`
	} `json:"tags"`
}

// onEvent reads, from the gateway's raw events, the threads (so that a
// thread is one conversation) and the bot's managed role in each guild.
func (a *Adapter) onEvent(_ *discordgo.Session, e *discordgo.Event) {
	defer a.recoverPanic("gateway event")
	if e == nil || len(e.RawData) == 0 {
		return
	}
	switch e.Type {
	case "GUILD_CREATE":
		var g struct {
			ID       string       `json:"id"`
			Channels []rawChannel `json:"channels"`
			Threads  []rawChannel `json:"threads"`
			Roles    []rawRole    `json:"roles"`
		}
		if json.Unmarshal(e.RawData, &g) != nil {
			return
		}
		for _, c := range append(g.Channels, g.Threads...) {
			a.places.setThread(c.ID, isThread(c.Type))
		}
		for _, r := range g.Roles {
			a.learnRole(g.ID, r)
		}
	case "THREAD_CREATE", "THREAD_UPDATE", "CHANNEL_CREATE", "CHANNEL_UPDATE":
		var c rawChannel
		if json.Unmarshal(e.RawData, &c) == nil && c.ID != "" {
			a.places.setThread(c.ID, isThread(c.Type))
		}
	case "THREAD_LIST_SYNC":
		var l struct {
			Threads []rawChannel `json:"threads"`
		}
		if json.Unmarshal(e.RawData, &l) == nil {
			for _, c := range l.Threads {
				a.places.setThread(c.ID, true)
			}
		}
	case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
		var r struct {
			GuildID string  `json:"guild_id"`
			Role    rawRole `json:"role"`
		}
		if json.Unmarshal(e.RawData, &r) == nil {
			a.learnRole(r.GuildID, r.Role)
		}
	}
}

// learnRole keeps a role if it is the bot's own: the role Discord manages
// for the bot's integration, tagged with the bot's id.
func (a *Adapter) learnRole(guild string, r rawRole) {
	if me := a.self(); guild != "" && r.Tags != nil && r.Tags.BotID != "" && r.Tags.BotID == me {
		a.places.setRole(guild, r.ID)
	}
}

func isThread(t discordgo.ChannelType) bool {
	return t == discordgo.ChannelTypeGuildPublicThread || t == discordgo.ChannelTypeGuildPrivateThread || t == discordgo.ChannelTypeGuildNewsThread
}

// conversation names the conversation of a message or interaction: a DM,
// a thread, or else the user within the channel.
func (a *Adapter) conversation(ctx context.Context, guild, channel, user string) string {
	if guild == "" || a.inThread(ctx, channel) {
		return "discord:" + channel
	}
	return "discord:" + channel + ":" + user
}

// inThread tells whether a channel is a thread: from the gateway's events,
// or else asking Discord once (remembered).
func (a *Adapter) inThread(ctx context.Context, channel string) bool {
	if thread, known := a.places.thread(channel); known {
		return thread
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := a.s.Channel(channel, discordgo.WithContext(ctx))
	if err != nil {
		a.log.Warn("looking a channel up failed; taking it for no thread", "channel", channel, "err", err)
		return false
	}
	thread := isThread(c.Type)
	a.places.setThread(channel, thread)
	return thread
}

// addressed reports whether a guild message is for the bot: it mentions
// the bot, or the bot's managed role.
func (a *Adapter) addressed(m *discordgo.Message, botID string) bool {
	if mentions(m, botID) {
		return true
	}
	role := a.places.role(m.GuildID)
	if role == "" {
		return false
	}
	for _, r := range m.MentionRoles {
		if r == role {
			return true
		}
	}
	return strings.Contains(m.Content, "<@&"+role+">")
}

// onMessage answers a mention in a channel or a thread (of the bot or of
// its role), or any message in a DM, with a reply to that message; a
// private reply (slow down, a refusal of the input, an apology) goes to the
// asker's DM instead. It ignores its own messages and other bots'.
func (a *Adapter) onMessage(_ *discordgo.Session, m *discordgo.MessageCreate) {
	defer a.recoverPanic("MESSAGE_CREATE")
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot || m.Author.System {
		return
	}
	botID := a.self()
	if botID == "" || m.Author.ID == botID {
		return
	}
	if m.GuildID != "" && !a.addressed(m.Message, botID) {
		return
	}
	text := questionText(m.Content, botID, m.Mentions)
	if text == "" {
		text = "help"
	}
	msg := m.Message
	via := bot.ViaMention
	if m.GuildID == "" {
		via = bot.ViaDirect
	}
	reply := func(ctx context.Context, out message) error {
		send := &discordgo.MessageSend{Content: out.Content, Embeds: out.Embeds, Components: out.Components,
			Reference: msg.SoftReference(), AllowedMentions: noMentions()}
		channel := msg.ChannelID
		if out.Private && msg.GuildID != "" {
			dm, err := a.s.UserChannelCreate(msg.Author.ID, discordgo.WithContext(ctx))
			if err != nil {
				return err
			}
			channel, send.Reference = dm.ID, nil
		}
		_, err := a.s.ChannelMessageSendComplex(channel, send, discordgo.WithContext(ctx))
		return err
	}
	a.submit(func(ctx context.Context) error {
		if a.seen(ctx, "discord:message:"+msg.ID) {
			return nil
		}
		q := bot.Question{Text: text, User: msg.Author.ID, Frontend: "discord", Via: via,
			Conversation: a.conversation(ctx, msg.GuildID, msg.ChannelID, msg.Author.ID)}
		r := a.answer(ctx, q)
		if r.Silent() {
			return nil
		}
		out := render(r, renderOptions{ReplyID: a.keep(r)})
		err := a.retry.Do(ctx, func(ctx context.Context) error { return reply(ctx, out) })
		if err != nil {
			a.log.Error("replying to a message failed", "channel", msg.ChannelID, "err", err)
		}
		return err
	}, func(ctx context.Context, text string) error { return reply(ctx, message{Content: text}) })
}

// keep puts an answer in Recent, for Show source and Share; "" for other
// replies.
func (a *Adapter) keep(r bot.Reply) string {
	if r.Kind != bot.KindAnswer && r.Kind != bot.KindNotGiven {
		return ""
	}
	return a.recent.Put(r)
}

// Commands are the slash commands the adapter registers.
func Commands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:        "ask",
			Description: "Ask about Operation Liberterra II; the answer quotes its sources (only you see it)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question, in plain words", Required: true, MaxLength: bot.MaxQuestionLen},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "public", Description: "Post the answer for everyone in the channel at once"},
			},
		},
		{Name: "sources", Description: "List the articles the answers come from"},
		{Name: "topics", Description: "List what the bot can answer about"},
		{Name: "help", Description: "How to ask the bot"},
	}
}

// commandQuestion reads a slash command: the question to ask, whether to
// post the answer for everyone at once, and ok false for a command that
// isn't the bot's. Option values are type-checked (Discord's types are not
// trusted): a problem names what was wrong, and the question is asked
// without it. The "ephemeral" option of earlier versions is still read.
func commandQuestion(data discordgo.ApplicationCommandInteractionData) (text string, public, ok bool, problem string) {
	switch data.Name {
	case "ask":
		for _, o := range data.Options {
			if o == nil {
				continue
			}
			switch o.Name {
			case "question":
				s, isText := o.Value.(string)
				if !isText {
					problem = fmt.Sprintf("option question holds %T, not text", o.Value)
				}
				text = s
			case "public", "ephemeral":
				b, isBool := o.Value.(bool)
				if !isBool {
					problem = fmt.Sprintf("option %s holds %T, not a boolean", o.Name, o.Value)
					continue
				}
				public = b == (o.Name == "public")
			}
		}
		return text, public, true, problem
	case "sources", "topics", "help":
		return data.Name, false, true, ""
	}
	return "", false, false, ""
}

// interactionUser is who used an interaction.
func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

// onInteraction queues the answer to a slash command or a button click.
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer a.recoverPanic("INTERACTION_CREATE")
	received := time.Now()
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	var job bot.Job
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			a.obs.Refused("discord", bot.RefusedMalformed)
			a.log.Warn("a malformed interaction: no command data; ignored", "id", i.ID)
			return
		}
		text, public, ok, problem := commandQuestion(data)
		if problem != "" {
			a.obs.Refused("discord", bot.RefusedMalformed)
			a.log.Warn("a malformed interaction; asking without the bad option", "id", i.ID, "command", data.Name, "problem", problem)
		}
		if !ok {
			return
		}
		job = func(ctx context.Context) error {
			q := bot.Question{Text: text, User: interactionUser(i), Frontend: "discord", Via: bot.ViaSlash, Share: public,
				Conversation: a.conversation(ctx, i.GuildID, i.ChannelID, interactionUser(i))}
			return a.respond(ctx, i, q, received)
		}
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok || data.CustomID == "" {
			a.obs.Refused("discord", bot.RefusedMalformed)
			return
		}
		job = func(ctx context.Context) error { return a.click(ctx, i, data.CustomID, received) }
	default:
		return
	}
	a.submit(func(ctx context.Context) error {
		if a.seen(ctx, "discord:interaction:"+i.ID) {
			return nil
		}
		return job(ctx)
	}, func(ctx context.Context, text string) error {
		return a.s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()}},
			discordgo.WithContext(ctx))
	})
}

// click handles a button: ask a question, record a vote, show the sources
// or share an answer.
func (a *Adapter) click(ctx context.Context, i *discordgo.Interaction, id string, received time.Time) error {
	user := interactionUser(i)
	onPrivate := i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	switch {
	case strings.HasPrefix(id, idAsk):
		q := bot.Question{Text: strings.TrimPrefix(id, idAsk), User: user, Frontend: "discord", Via: bot.ViaButton,
			Conversation: a.conversation(ctx, i.GuildID, i.ChannelID, user)}
		if onPrivate {
			q.Via = bot.ViaSlash // under a private reply, the answer stays private
		}
		return a.respond(ctx, i, q, received)
	case strings.HasPrefix(id, idVoteUp), strings.HasPrefix(id, idVoteDown):
		vote, fact, text := bot.VoteUp, strings.TrimPrefix(id, idVoteUp), bot.FeedbackUpText
		if strings.HasPrefix(id, idVoteDown) {
			vote, fact, text = bot.VoteDown, strings.TrimPrefix(id, idVoteDown), bot.FeedbackDownText
		}
		if a.votes != nil {
			a.votes.Record(ctx, bot.Feedback{Frontend: "discord", Vote: vote, Question: askedIn(i.Message), FactID: fact, User: user})
		}
		return a.send(ctx, i, message{Content: text, Private: true}, received)
	case strings.HasPrefix(id, idSource):
		r, ok := a.recent.Get(strings.TrimPrefix(id, idSource))
		if !ok {
			return a.send(ctx, i, message{Content: bot.ReplyGoneText, Private: true}, received)
		}
		return a.send(ctx, i, renderContext(r), received)
	case strings.HasPrefix(id, idShare):
		return a.send(ctx, i, a.shared(i.Message, strings.TrimPrefix(id, idShare)), received)
	}
	return nil
}

// shared is the public copy of a private answer: the message clicked, as
// it is, without its Share button; or the reply kept in Recent.
func (a *Adapter) shared(m *discordgo.Message, replyID string) message {
	if m != nil && len(m.Embeds) > 0 {
		return message{Embeds: m.Embeds, Components: withoutShare(m.Components)}
	}
	if r, ok := a.recent.Get(replyID); ok {
		r.Visibility = bot.Public
		return render(r, renderOptions{ReplyID: replyID})
	}
	return message{Content: bot.ReplyGoneText, Private: true}
}

// withoutShare drops the Share button from a message's rows.
func withoutShare(rows []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, c := range rows {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			if r, isRow := c.(discordgo.ActionsRow); isRow {
				row, ok = &r, true
			}
		}
		if !ok {
			continue
		}
		var keep discordgo.ActionsRow
		for _, b := range row.Components {
			if btn, isBtn := b.(*discordgo.Button); isBtn && strings.HasPrefix(btn.CustomID, idShare) {
				continue
			}
			keep.Components = append(keep.Components, b)
		}
		if len(keep.Components) > 0 {
			out = append(out, keep)
		}
	}
	return out
}

// askedIn is the question of an answer's message: its embed's title, as
// the asker wrote it (the title is the question, markdown escaped).
func askedIn(m *discordgo.Message) string {
	if m == nil || len(m.Embeds) == 0 {
		return ""
	}
	return unescape(m.Embeds[0].Title)
}

// unescape undoes escape.
func unescape(s string) string {
	var b strings.Builder
	esc := false
	for _, r := range s {
		if r == '\\' && !esc {
			esc = true
			continue
		}
		esc = false
		b.WriteRune(r)
	}
	return b.String()
}

// respond answers q, asked by an interaction received at received: directly
// when the answer is quick, else deferred first (within Discord's 3
// seconds) and sent later. An interaction is always answered: a throttled
// or failed one gets its text, privately.
func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, q bot.Question, received time.Time) error {
	done := make(chan bot.Reply, 1)
	go func() { done <- a.answer(ctx, q) }()
	timer := time.NewTimer(max(0, a.deferAfter-time.Since(received)))
	defer timer.Stop()
	var r bot.Reply
	deferred := false
	privateGuess := q.Via == bot.ViaSlash && !q.Share
	select {
	case r = <-done:
	case <-timer.C:
		if err := a.deferResponse(ctx, i, privateGuess, received); err != nil {
			return err
		}
		deferred = true
		r = <-done // bounded by answerTimeout
	}
	var out message
	if r.Silent() {
		text := r.Text
		if text == "" {
			text = bot.ThrottledText
		}
		out = message{Content: text, Private: true}
	} else {
		out = render(r, renderOptions{ReplyID: a.keep(r), Shareable: q.Via == bot.ViaSlash && r.Visibility == bot.Private})
	}
	if !deferred {
		return a.send(ctx, i, out, received)
	}
	return a.finish(ctx, i, out, privateGuess)
}

// deferResponse tells Discord the answer is coming, privately or not.
func (a *Adapter) deferResponse(ctx context.Context, i *discordgo.Interaction, private bool, received time.Time) error {
	first, cancel := context.WithDeadline(ctx, received.Add(interactionWindow))
	defer cancel()
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}
	if private {
		resp.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := a.retry.Do(first, func(ctx context.Context) error { return a.s.InteractionRespond(i, resp, discordgo.WithContext(ctx)) })
	if err != nil {
		a.log.Error("deferring an interaction response failed", "err", err)
	}
	return err
}

// send answers an interaction at once with a new message, within
// Discord's 3 seconds.
func (a *Adapter) send(ctx context.Context, i *discordgo.Interaction, out message, received time.Time) error {
	first, cancel := context.WithDeadline(ctx, received.Add(interactionWindow))
	defer cancel()
	data := &discordgo.InteractionResponseData{Content: out.Content, Embeds: out.Embeds, Components: out.Components, AllowedMentions: noMentions()}
	if out.Private {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}
	err := a.retry.Do(first, func(ctx context.Context) error { return a.s.InteractionRespond(i, resp, discordgo.WithContext(ctx)) })
	if err != nil {
		a.log.Error("responding to an interaction failed", "err", err)
	}
	return err
}

// finish sends the answer of a deferred interaction: the deferred message
// edited, when it was deferred as private as the answer is; else the
// deferred message deleted and the answer sent as a follow-up, so that a
// private reply is never shown to all.
func (a *Adapter) finish(ctx context.Context, i *discordgo.Interaction, out message, deferredPrivate bool) error {
	if out.Private == deferredPrivate {
		embeds := out.Embeds
		if embeds == nil {
			embeds = []*discordgo.MessageEmbed{}
		}
		comps := out.Components
		if comps == nil {
			comps = []discordgo.MessageComponent{}
		}
		edit := &discordgo.WebhookEdit{Content: &out.Content, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions()}
		err := a.retry.Do(ctx, func(ctx context.Context) error {
			_, err := a.s.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx))
			return err
		})
		if err != nil {
			a.log.Error("editing a deferred response failed", "err", err)
		}
		return err
	}
	if err := a.retry.Do(ctx, func(ctx context.Context) error { return a.s.InteractionResponseDelete(i, discordgo.WithContext(ctx)) }); err != nil {
		a.log.Error("deleting a deferred response failed", "err", err)
		return err
	}
	params := &discordgo.WebhookParams{Content: out.Content, Embeds: out.Embeds, Components: out.Components, AllowedMentions: noMentions()}
	if out.Private {
		params.Flags = discordgo.MessageFlagsEphemeral
	}
	err := a.retry.Do(ctx, func(ctx context.Context) error {
		_, err := a.s.FollowupMessageCreate(i, true, params, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		a.log.Error("sending a follow-up failed", "err", err)
	}
	return err
}
