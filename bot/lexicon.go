package bot

import "strings"

// stopWords carry no topic: question words, fillers, pronouns, and the
// operation's own name (nearly every question names it, so it says nothing
// about which fact is meant).
var stopWords = set(`a an the and or but nor of to in on at by for from with into onto about as than then
is are was were be been being am do does did done doing have has had having get got gets getting
i me my we us our you your he him his she her it its they them their this that these those there here
what whats which who whom whose when where why how many much whats wheres whos hows
can could would should will shall may might must please tell know explain describe
give show find list let any some all each every other more most very just also only even really
exactly approximately approx roughly around about overall altogether total totally actually
happen happened happening happens go going went gone did thing things stuff info information detail details
operation operations op liberterra ii 2 second interpol interpols mission crackdown
yes no not ok okay hi hello hey thanks thank so well like like yeah yep kind sort lot lots bit
s t d ll re ve m u r ur pls plz tho thx wht wat hw whn wer whr abt bout
out up carried carry carrying conducted conduct conducting undertaken made make making during while
via per within across among amongst such ever yet still including include includes included regarding
concerning mentioned mention mentions article articles report reported reports according source sources
anyone anybody someone somebody everyone everybody anything something everything whether if`)

func set(fields string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(fields) {
		m[f] = true
	}
	return m
}

// synonyms maps casual and alternative words to the word the fact base
// uses. Keys and values are folded lower-case words, applied before stemming.
var synonyms = map[string]string{
	// people
	"ppl": "people", "persons": "people", "person": "people", "folks": "people", "folk": "people",
	"individuals": "people", "individual": "people", "humans": "people", "human": "people",
	"kids": "children", "kid": "children", "child": "children", "minors": "children", "minor": "children",
	"youngsters": "children", "juveniles": "children", "underage": "children", "teens": "children",
	"teenagers": "children", "boys": "children", "girls": "children",
	"woman": "women", "females": "women", "female": "women", "ladies": "women",
	"guy": "man", "men": "man", "male": "man",
	// arrests
	"detained": "arrested", "detain": "arrest", "detention": "arrest", "detentions": "arrests",
	"nabbed": "arrested", "nab": "arrest", "caught": "arrested", "catch": "arrest", "busted": "arrested",
	"apprehended": "arrested", "apprehend": "arrest", "apprehensions": "arrests",
	"captured": "arrested", "capture": "arrest", "custody": "arrest",
	"picked": "arrested", "locked": "arrested", "collared": "arrested", "arrestees": "arrests",
	"pinched": "arrested",
	// rescue
	"saved": "rescued", "save": "rescue", "freed": "rescued", "free": "rescue", "liberated": "rescued",
	"liberate": "rescue", "rescues": "rescue", "rescuing": "rescue",
	"recovered": "rescued", "helped": "rescued", "safeguarded": "rescued", "emancipated": "rescued",
	// victims
	"victim": "victims", "survivors": "victims", "survivor": "victims", "sufferers": "victims",
	// migrants
	"immigrants": "migrants", "immigrant": "migrants", "migrant": "migrants", "refugees": "migrants",
	"refugee": "migrants", "undocumented": "irregular", "illegal": "irregular", "illegals": "irregular",
	"asylum": "asylum",
	// smuggling / trafficking
	"smugglers": "smuggling", "smuggler": "smuggling", "smuggle": "smuggling", "smuggled": "smuggling",
	"traffickers": "trafficking", "trafficker": "trafficking", "trafficked": "trafficking",
	"traffic": "trafficking",
	// countries and counts
	"nations": "countries", "nation": "countries", "country": "countries", "states": "countries",
	"territories": "countries", "jurisdictions": "countries", "participating": "participated",
	"participate": "participated", "participants": "participated", "involved": "participated",
	"joined": "participated", "took": "participated", "members": "member",
	"number": "count", "figure": "count", "figures": "count", "tally": "count", "stats": "count",
	"statistics": "count", "numbers": "count",
	// time
	"date": "dates", "day": "days", "daily": "days", "period": "duration", "timeframe": "dates",
	"timeline": "dates", "long": "duration", "length": "duration", "lasted": "duration", "last": "duration",
	"begin": "start", "began": "start", "started": "start", "starts": "start",
	"ended": "end", "finished": "end", "finish": "end", "ends": "end", "week": "week", "weeks": "week",
	"sept": "september", "sep": "september", "oct": "october",
	// roles
	"job": "role", "position": "role", "title": "role", "post": "role", "boss": "head", "chief": "head",
	"leader": "head", "director": "director", "works": "role", "work": "role", "occupation": "role",
	"responsible": "role", "heads": "head", "runs": "head", "said": "say", "says": "say",
	"stated": "say", "statement": "say", "quote": "say", "quoted": "say", "remarks": "say",
	"remarked": "say", "comment": "say", "comments": "say", "commented": "say", "told": "say",
	"thinks": "say", "think": "say", "view": "say", "views": "say", "reaction": "say", "react": "say",
	"feel": "say", "felt": "say", "feels": "say", "opinion": "say", "reacted": "say", "words": "say",
	"spoke": "say", "speak": "say", "speaks": "say", "speech": "say", "noted": "say", "claims": "say",
	// planes
	"flight": "flights", "planes": "flights", "plane": "flights", "air": "flights", "airline": "flights",
	"aircraft": "flights", "airports": "flights", "airport": "flights", "passengers": "flights",
	// checks
	"database": "databases", "records": "databases", "record": "databases", "checked": "checks",
	"check": "checks", "searches": "checks", "lookups": "checks", "queries": "checks", "screenings": "checks",
	// organisation of the operation
	"hubs": "centres", "hub": "centres", "centre": "centres", "center": "centres", "centers": "centres",
	"headquarters": "headquarters", "hq": "headquarters", "base": "based", "located": "based",
	"coordinated": "coordination", "coordinate": "coordination", "coordinating": "coordination",
	"organized": "organised", "organise": "organised", "organize": "organised", "ran": "coordination",
	"specialized": "specialised", "specialist": "specialised", "specialists": "specialised",
	"units": "unit", "teams": "unit", "team": "unit",
	// scams
	"scam": "scams", "fraud": "scams", "frauds": "scams", "fraudulent": "scams", "con": "scams",
	"cons": "scams", "swindles": "scams", "scamming": "scams", "scammers": "scams", "sentiment": "romance",
	"romantic": "romance", "love": "romance", "dating": "romance",
	// money
	"cash": "cash", "money": "cash", "laundered": "laundering", "launder": "laundering",
	// misc
	"biggest": "largest", "greatest": "largest", "big": "largest", "huge": "largest", "large": "largest",
	"jail": "prison", "jailed": "prison", "imprisoned": "prison", "sentences": "sentenced", "sentence": "sentenced", "convicted": "sentenced",
	"court": "court", "gang": "group", "gangs": "group", "groups": "group", "networks": "group",
	"network": "group", "rings": "group", "ring": "group", "syndicate": "group", "syndicates": "group",
	"cartel": "group", "cartels": "group", "outfit": "group",
	"meds": "doctors", "physicians": "doctors", "physician": "doctors", "medics": "doctors", "doctor": "doctors",
	"organs": "organ", "begging": "begging", "beggars": "begging", "beg": "begging",
	"clubs": "nightclubs", "club": "nightclubs", "nightclub": "nightclubs", "bars": "nightclubs",
	"farm": "agricultural", "farms": "agricultural", "farming": "agricultural", "agriculture": "agricultural",
	"fields": "agricultural", "crops": "agricultural", "cult": "sect", "cults": "sect",
	"uncovered": "found", "discovered": "found", "discover": "found", "uncover": "found", "find": "found",
	"identified": "identified", "identify": "identified", "spotted": "identified", "detected": "identified",
	"intercept": "intercepted", "stopped": "intercepted", "halted": "intercepted", "blocked": "intercepted",
	"results": "results", "outcome": "results", "outcomes": "results", "achievements": "results",
	"achieved": "results", "accomplish": "results", "accomplished": "results",
	"aim": "goal", "aims": "goal", "purpose": "goal", "objective": "goal", "point": "goal",
	"reason": "goal", "goals": "goal",
	"who's": "who", "whos": "who",
	"cops": "police", "cop": "police", "officers": "police", "officer": "police", "authorities": "police",
	"lawenforcement": "police", "enforcement": "police",
	"wanted": "wanted", "extradite": "extradition", "extradited": "extradition",
	"assembly": "assembly", "conference": "assembly", "meeting": "assembly", "summit": "assembly",
	"revealed": "announced", "reveal": "announced", "announce": "announced", "published": "announced",
	"released": "announced", "unveiled": "announced", "disclosed": "announced",
	"trend": "trends", "pattern": "trends", "patterns": "trends", "emerging": "trends",
	"warehouse": "warehouse", "building": "warehouse", "compound": "warehouse",
	"ngo": "ngos", "charities": "ngos", "nonprofits": "ngos",
}

// expandPhrases rewrites multi-word expressions to one word before
// splitting, so "took place" means dates and "how long" means duration.
var phraseRewrites = strings.NewReplacer(
	"how long", "duration", "took place", "dates", "take place", "dates",
	"how many days", "duration", "what time", "dates", "law enforcement", "police",
	"set up", "centres", "in charge", "head", "run by", "coordination",
)
