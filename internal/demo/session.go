package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// typeSpec says how many sessions of one type the catalog has and what they
// look like. Weights are relative; see pick.
type typeSpec struct {
	typ        lanyard.SessionType
	count      int // sessions, repeats included
	kind       roomKind
	minutes    int
	reservable bool
	repeats    []int // weights of a content running 1, 2, 3 or 4 times
	levels     []int // weights of levels 100, 200, 300 and 400
	speakers   []int // weights of 1, 2 or 3 speakers
	titles     []string
	intros     []string // the abstract's first sentence
	middles    []string // its second; nil means the shared middles
	closings   []string
}

// mix is the catalog's make-up, modelled on re:Invent 2019 and 2025: about
// 3,000 sessions, builders' sessions and chalk talks repeated most. Keynotes
// and the expo's hours and parties are placed by hand (see keynotes and
// happenings).
var mix = []typeSpec{
	{
		typ: lanyard.TypeSession, count: 920, kind: sessionRoom, minutes: 60, reservable: true,
		repeats: []int{75, 20, 5}, levels: []int{10, 35, 40, 15}, speakers: []int{40, 45, 15},
		titles: []string{
			"Building {adj} {work} with {svc}",
			"Deep dive into {svc}",
			"What's new with {svc}",
			"How {cust} runs {work} on {svc}",
			"{svc} best practices for {adj} {work}",
			"Scaling {work} to millions of users with {svc}",
			"Optimize the cost and performance of {work} with {svc}",
			"Inside {svc}: How it works under the hood",
			"From prototype to production: {adj} {work} on {svc}",
			"Securing {work} built on {svc}",
		},
		intros: []string{
			"Learn how to build {adj} {work} with {svc}.",
			"In this session, discover how {cust} runs {work} on {svc} and what it learned along the way.",
			"{svc} has changed how teams build {work}; this session shows what that means for yours.",
			"Join this session for an in-depth look at {adj} {work} with {svc}.",
		},
		closings: []string{
			"Leave with practical guidance you can apply right away.",
			"Leave with a reference architecture and the questions to ask your own team.",
			"This session assumes familiarity with {topic} on AWS.",
		},
	},
	{
		typ: lanyard.TypeChalk, count: 760, kind: chalkRoom, minutes: 60, reservable: true,
		repeats: []int{45, 35, 15, 5}, levels: []int{0, 15, 50, 35}, speakers: []int{55, 45},
		titles: []string{
			"Design patterns for {adj} {work}",
			"Troubleshooting {svc} at scale",
			"Whiteboard {adj} {work} on {svc}",
			"Choosing the right approach for {work} with {svc}",
			"Ask the experts: {svc}",
			"Failure modes of {work} and how to avoid them",
			"Migrating {work} to {svc}: Trade-offs and pitfalls",
		},
		intros: []string{
			"In this chalk talk, we whiteboard {adj} {work} on {svc} and answer your questions.",
			"Join this chalk talk to design {work} with {svc} together, starting from your requirements.",
			"Bring your hardest questions about {svc} to this chalk talk.",
		},
		closings: []string{
			"Come with questions; this is an interactive session.",
			"This chalk talk is interactive and assumes hands-on experience with {topic}.",
		},
	},
	{
		typ: lanyard.TypeBuilders, count: 750, kind: buildersRoom, minutes: 60, reservable: true,
		repeats: []int{25, 35, 25, 15}, levels: []int{0, 35, 50, 15}, speakers: []int{100},
		titles: []string{
			"Build {work} with {svc} in 60 minutes",
			"Get started with {svc}",
			"Accelerate {work} with {svc}",
			"Instrument {work} with {svc}",
			"Cut the cost of {work} with {svc}",
		},
		intros: []string{
			"In this builders' session, an AWS expert guides a small group as you build {work} with {svc}.",
			"Build {adj} {work} with {svc} in a small group, with an AWS expert at your table.",
		},
		closings: []string{
			"You must bring your laptop to participate.",
		},
	},
	{
		typ: lanyard.TypeWorkshop, count: 460, kind: workshopRoom, minutes: 120, reservable: true,
		repeats: []int{40, 35, 18, 7}, levels: []int{0, 25, 55, 20}, speakers: []int{20, 60, 20},
		titles: []string{
			"Build {adj} {work} with {svc}",
			"Hands-on with {svc}: {adj} {work}",
			"Modernize {work} with {svc}",
			"Automate {work} end to end with {svc}",
			"Secure and observe {work} on {svc}",
		},
		intros: []string{
			"In this workshop, you build {adj} {work} using {svc}, step by step.",
			"Get hands-on with {svc} in this workshop and leave with {adj} {work} running in your own account.",
		},
		closings: []string{
			"You must bring your laptop to participate.",
			"You must bring your laptop; an AWS account is provided.",
		},
	},
	{
		typ: lanyard.TypeOther, count: 30, kind: lounge, minutes: 60, reservable: false,
		repeats: []int{80, 20}, levels: []int{40, 40, 20}, speakers: []int{60, 40},
		titles: []string{
			"{topic} community meetup",
			"AWS Heroes meetup: {topic}",
			"Korean builders meetup (한국어)",
			"Women in {topic} meetup",
		},
		intros: []string{
			"Meet other builders who work on {topic} and swap stories about {work}.",
		},
		middles: []string{
			"Bring your questions, your war stories and your business cards.",
			"AWS Heroes and community builders host; everyone is welcome.",
		},
		closings: []string{
			"No reservation needed; seats are first come, first served.",
		},
	},
	{
		typ: lanyard.TypeOther, count: 24, kind: lounge, minutes: 30, reservable: false,
		repeats: []int{100}, levels: []int{20, 50, 30}, speakers: []int{100},
		titles: []string{
			"Dev chat: {svc} in production",
			"Dev chat: {adj} {work}",
		},
		intros: []string{
			"A 30-minute conversation about {work} with {svc}, in the expo's developer lounge.",
		},
		closings: []string{
			"No reservation needed; seats are first come, first served.",
		},
	},
	{
		typ: lanyard.TypeOther, count: 12, kind: workshopRoom, minutes: 120, reservable: true,
		repeats: []int{60, 40}, levels: []int{0, 40, 40, 20}, speakers: []int{50, 50},
		titles: []string{
			"AWS Jam: {topic}",
		},
		intros: []string{
			"Team up and solve timed challenges about {work} with {svc} in this AWS Jam.",
		},
		closings: []string{
			"You must bring your laptop to participate.",
		},
	},
}

// middles are the abstract's second sentence, for any type.
var middles = []string{
	"Explore patterns for failure isolation, observability and cost control, and the trade-offs that matter at scale.",
	"See how {cust} cut operating costs by {pct}% while improving availability.",
	"We cover reference architectures, common pitfalls and the metrics worth watching.",
	"Walk through a live demo, from the first deployment to production traffic.",
	"Learn which features of {svc} to reach for first, and which to leave for later.",
	"Hear what changed when {cust} moved {work} to {svc}.",
}

// adjectives describe workloads in titles and abstracts.
var adjectives = []string{
	"resilient", "scalable", "cost-efficient", "secure", "observable",
	"highly available", "multi-tenant", "real-time", "low-latency", "global",
	"production-ready", "self-healing",
}

// track is a topic area of the catalog. Its prefix starts session codes
// ("ARC" in ARC301), and most of its sessions run in its home venue, as at
// re:Invent, where a track keeps to one hotel.
type track struct {
	prefix    string
	topics    []string // the first always applies; one of the rest sometimes
	home      string
	weight    int
	services  []string
	workloads []string
}

var tracks = []track{
	{"AIM", []string{"Generative AI", "Machine Learning"}, "mgm", 11,
		[]string{"Amazon Bedrock", "Amazon SageMaker AI", "Amazon Bedrock AgentCore", "Amazon Q Developer", "AWS Trainium", "Amazon Nova"},
		[]string{"AI agents", "RAG applications", "foundation model pipelines", "multi-agent workflows", "inference endpoints"}},
	{"ARC", []string{"Architecture", "Resilience"}, "venetian", 7,
		[]string{"AWS Well-Architected", "Amazon EventBridge", "AWS Lambda", "Amazon DynamoDB", "AWS Fault Injection Service"},
		[]string{"multi-Region applications", "cell-based architectures", "event-driven systems", "SaaS platforms", "microservices"}},
	{"DAT", []string{"Databases"}, "venetian", 7,
		[]string{"Amazon Aurora", "Amazon DynamoDB", "Amazon ElastiCache", "Amazon RDS", "Amazon Neptune", "Amazon Aurora DSQL"},
		[]string{"globally distributed databases", "transactional systems", "caching layers", "graph applications", "database fleets"}},
	{"SEC", []string{"Security", "Compliance"}, "mandalay", 8,
		[]string{"AWS IAM", "Amazon GuardDuty", "AWS Security Hub", "AWS KMS", "Amazon Verified Permissions", "AWS WAF"},
		[]string{"zero-trust access", "threat detection", "data protection controls", "identity perimeters", "incident response runbooks"}},
	{"CMP", []string{"Compute"}, "caesars-forum", 6,
		[]string{"Amazon EC2", "AWS Graviton", "EC2 Spot Instances", "AWS Nitro System", "AWS Batch"},
		[]string{"HPC clusters", "GPU workloads", "batch jobs", "price-performant fleets", "Arm-based services"}},
	{"NET", []string{"Networking"}, "mandalay", 5,
		[]string{"Amazon VPC", "AWS Transit Gateway", "Amazon CloudFront", "AWS Cloud WAN", "Amazon VPC Lattice", "Elastic Load Balancing"},
		[]string{"global networks", "service-to-service connectivity", "hybrid networks", "edge delivery", "IPv6 networks"}},
	{"DEV", []string{"Developer Tools", "DevOps"}, "venetian", 7,
		[]string{"AWS CDK", "Amazon Q Developer", "AWS CodeBuild", "AWS SAM", "AWS Amplify", "AWS CodePipeline"},
		[]string{"CI/CD pipelines", "infrastructure as code", "developer platforms", "full-stack web apps", "test suites"}},
	{"SVS", []string{"Serverless"}, "wynn", 6,
		[]string{"AWS Lambda", "AWS Step Functions", "Amazon API Gateway", "Amazon EventBridge", "Amazon SQS", "AWS AppSync"},
		[]string{"serverless APIs", "event-driven applications", "workflows", "real-time backends", "stream processors"}},
	{"STG", []string{"Storage"}, "encore", 5,
		[]string{"Amazon S3", "Amazon EBS", "Amazon FSx", "Amazon EFS", "AWS Backup", "Amazon S3 Tables"},
		[]string{"data lakes", "backup and recovery plans", "file workloads", "exabyte-scale storage", "media archives"}},
	{"ANT", []string{"Analytics"}, "mgm", 6,
		[]string{"Amazon Redshift", "Amazon Athena", "AWS Glue", "Amazon EMR", "Amazon Kinesis", "Amazon OpenSearch Service"},
		[]string{"data pipelines", "lakehouses", "streaming analytics", "BI dashboards", "data meshes"}},
	{"CON", []string{"Containers", "DevOps"}, "wynn", 6,
		[]string{"Amazon EKS", "Amazon ECS", "AWS Fargate", "Karpenter", "Amazon ECR", "Bottlerocket"},
		[]string{"Kubernetes clusters", "container platforms", "microservices", "multi-tenant clusters", "batch workloads on Kubernetes"}},
	{"OPN", []string{"Open Source"}, "encore", 3,
		[]string{"Apache Iceberg", "OpenSearch", "Valkey", "Kubernetes", "PostgreSQL", "OpenTelemetry"},
		[]string{"open source projects", "observability stacks", "open table formats", "community-driven platforms"}},
	{"COP", []string{"Cloud Operations", "DevOps"}, "caesars-forum", 6,
		[]string{"Amazon CloudWatch", "AWS Systems Manager", "AWS Organizations", "AWS Control Tower", "AWS Config", "AWS CloudTrail"},
		[]string{"observability", "multi-account environments", "governance at scale", "operational runbooks", "incident management"}},
	{"MAM", []string{"Migration & Modernization"}, "mandalay", 5,
		[]string{"AWS Transform", "AWS Database Migration Service", "AWS Application Migration Service", "AWS Mainframe Modernization", "Amazon RDS"},
		[]string{"mainframe workloads", "legacy .NET applications", "VMware estates", "monoliths", "Oracle databases"}},
	{"SUP", []string{"Resilience", "Cloud Operations"}, "caesars-forum", 2,
		[]string{"AWS Resilience Hub", "AWS Health", "AWS Trusted Advisor", "AWS Support", "Amazon Application Recovery Controller"},
		[]string{"mission-critical workloads", "operational readiness reviews", "large-scale launches", "failover plans"}},
	{"WPS", []string{"Public Sector"}, "caesars-forum", 3,
		[]string{"AWS GovCloud (US)", "Amazon Bedrock", "AWS Outposts", "Amazon Connect", "AWS Snowball Edge"},
		[]string{"citizen services", "research computing", "mission workloads", "education platforms", "health research"}},
	{"BIZ", []string{"Business Applications"}, "encore", 4,
		[]string{"Amazon Connect", "Amazon Q Business", "AWS Supply Chain", "Amazon QuickSight", "Amazon WorkSpaces"},
		[]string{"contact centers", "customer experiences", "supply chains", "employee assistants", "business dashboards"}},
	{"IOT", []string{"Internet of Things"}, "wynn", 2,
		[]string{"AWS IoT Core", "AWS IoT Greengrass", "AWS IoT SiteWise", "Amazon Kinesis Video Streams", "AWS IoT FleetWise"},
		[]string{"connected devices", "industrial telemetry", "edge applications", "connected vehicles", "smart factories"}},
	{"IND", []string{"Industry Solutions"}, "mgm", 5,
		[]string{"Amazon Bedrock", "AWS HealthOmics", "AWS Clean Rooms", "Amazon Connect", "AWS Entity Resolution"},
		[]string{"payments platforms", "genomics pipelines", "trading systems", "retail personalization", "media supply chains"}},
}

// crossTopics are added now and then to a session of any track.
var crossTopics = []string{"Cost Optimization", "Sustainability", "Generative AI", "Resilience", "Security"}

// keynotes run in the keynote hall on Tuesday to Thursday mornings, as at
// re:Invent. Their codes, like the real ones, carry no level digit.
var keynotes = []struct {
	day, hour, minute, minutes int
	title, speakerTitle        string
	topics                     []string
	abstract                   string
}{
	{1, 8, 0, 150, "AWS CEO keynote", "Chief Executive Officer", []string{"Generative AI", "Compute"},
		"Hear how AWS is reinventing infrastructure, databases and AI for builders and businesses of every size, with announcements and customer stories."},
	{2, 8, 30, 120, "Agentic AI keynote", "Vice President, Agentic AI", []string{"Generative AI", "Machine Learning"},
		"See the latest in foundation models, AI agents and the data foundations that make them useful, with demos of what customers build today."},
	{2, 11, 0, 120, "Partner keynote", "Vice President, Worldwide Channels and Alliances", []string{"Business Applications"},
		"Learn how AWS Partners help customers move faster, and how to build, market and sell with AWS."},
	{3, 8, 30, 120, "CTO keynote", "Vice President and Chief Technology Officer", []string{"Architecture", "Resilience"},
		"A look at the lessons of building systems at Amazon scale: simplicity, evolvability and the cost-aware architect."},
	{3, 11, 0, 120, "Infrastructure keynote", "Senior Vice President, Utility Computing", []string{"Compute", "Networking"},
		"Go deep on the silicon, networks and storage systems behind AWS and the engineering choices that shaped them."},
}

// happenings are the fixed parts of the week that attendees plan around but
// cannot reserve: the expo's opening hours and the parties. Each has a stage
// to itself (see stages). They are added after everything drawn from the
// random stream, so they leave the rest of a seed's catalog unchanged, and
// they draw no demand (see Event.Popularity). Like keynotes, they are placed
// by the local clock on day (0 is Monday).
var happenings = []struct {
	code                       string
	day, hour, minute, minutes int
	venue, room                string
	title, abstract            string
}{
	{"EXP001", 0, 16, 0, 180, "venetian", "Level 2, Expo Hall", "Expo opening reception",
		"The expo opens on Monday evening: meet AWS teams and hundreds of sponsors at their booths, with food and drinks across the hall."},
	{"EXP002", 1, 10, 0, 480, "venetian", "Level 2, Expo Hall", "Expo",
		"Explore the expo: AWS service teams, sponsors, demos and the developer and community lounges. No reservation needed."},
	{"EXP003", 2, 10, 0, 480, "venetian", "Level 2, Expo Hall", "Expo",
		"Explore the expo: AWS service teams, sponsors, demos and the developer and community lounges. No reservation needed."},
	{"EXP004", 3, 10, 0, 360, "venetian", "Level 2, Expo Hall", "Expo (last day)",
		"The expo's last day, closing at 4 pm: catch the AWS teams and sponsors you missed. No reservation needed."},
	{"PTY001", 2, 17, 30, 120, "mgm", "Level 1, Casino Bars", "Pub crawl",
		"Unwind after the sessions with other attendees at bars across the campus, with food and drinks; the crawl starts at MGM Grand. Bring your badge."},
	{"PTY002", 3, 19, 0, 240, "mgm", "re:Play, Grand Garden Arena", "re:Play party",
		"The week's closing party: live music, DJs, food and games at the Grand Garden Arena. Bring your badge and a government-issued ID."},
}

// dayWeights spread first runs over the week; Friday is a half day.
var dayWeights = []int{5, 6, 6, 6, 2}

// dayEnd returns the half hour (counted from 08:00) by which day d's sessions end:
// 19:00, or 13:00 on the last day.
func dayEnd(d int) int {
	if d == days-1 {
		return 10
	}
	return 22
}

// catalogGen generates the venues and sessions of a catalog.
type catalogGen struct {
	r     *rand.Rand
	loc   *time.Location
	start time.Time // the first day, as a date
	text  arena
	rooms [numRoomKinds][][]*room // by kind, then venue
	used  [][4][100]bool          // code numbers taken, by track and level
}

// group is the sessions that share one content: out[first : first+n].
type group struct{ first, n int }

// slotVars fill the placeholders of titles and abstracts (see expand).
type slotVars struct {
	svc, work, adj, cust, topic string
	pct                         int
}

// sessions generates the sessions, sorted by start and code, and their popularity.
func (g *catalogGen) sessions() ([]lanyard.Session, map[string]float64) {
	total := len(keynotes) + len(happenings)
	for _, spec := range mix {
		total += spec.count
	}
	g.text.grow(total * 320)
	g.used = make([][4][100]bool, len(tracks))
	out := make([]lanyard.Session, 0, total)
	var groups []group

	hall := g.rooms[keynoteHall][venueIndex("venetian")][0]
	for i, k := range keynotes {
		slot := (k.hour-8)*2 + k.minute/30
		slots := k.minutes / 30
		hall.busy[k.day] |= span(slot, slots+1)
		groups = append(groups, group{len(out), 1})
		g.text.write("KEY")
		g.text.writeInt(i+1, 3)
		code := g.text.done()
		out = append(out, lanyard.Session{
			Code:       code,
			Title:      k.title,
			Abstract:   k.abstract,
			Type:       lanyard.TypeKeynote,
			Level:      100,
			Topics:     slices.Clone(k.topics),
			Speakers:   []lanyard.Speaker{{Name: g.speakerName(), JobTitle: k.speakerTitle, Company: aws}},
			Venue:      campus[hall.venue].code,
			Room:       hall.name,
			Start:      g.at(k.day, slot),
			End:        g.at(k.day, slot+slots),
			Capacity:   hall.seats,
			Reservable: true,
		})
	}

	for si := range mix {
		spec := &mix[si]
		for left := spec.count; left > 0; {
			n := min(1+pick(g.r, spec.repeats), left)
			left -= n
			first := len(out)
			if out = g.content(out, spec, n); len(out) > first {
				groups = append(groups, group{first, len(out) - first})
			}
		}
	}

	pop := g.popularity(out, groups)
	out = g.happenings(out)
	slices.SortFunc(out, func(a, b lanyard.Session) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, pop
}

// happenings appends the happenings to out. They draw nothing from the
// random stream.
func (g *catalogGen) happenings(out []lanyard.Session) []lanyard.Session {
	for _, h := range happenings {
		seats := 0
		for _, st := range stages {
			if st.venue == h.venue && st.name == h.room {
				seats = st.seats
			}
		}
		if seats == 0 {
			panic("demo: happening " + h.code + " is on no stage")
		}
		out = append(out, lanyard.Session{
			Code:       h.code,
			Title:      h.title,
			Abstract:   h.abstract,
			Type:       lanyard.TypeOther,
			Topics:     []string{},
			Speakers:   []lanyard.Speaker{},
			Venue:      h.venue,
			Room:       h.room,
			Start:      g.clock(h.day, h.hour, h.minute),
			End:        g.clock(h.day, h.hour, h.minute+h.minutes),
			Capacity:   seats,
			Reservable: false,
		})
	}
	return out
}

// content writes one content of spec, runs it up to n times and appends the
// runs to out.
func (g *catalogGen) content(out []lanyard.Session, spec *typeSpec, n int) []lanyard.Session {
	ti := pickTrack(g.r)
	t := &tracks[ti]
	v := slotVars{
		svc:   one(g.r, t.services),
		work:  one(g.r, t.workloads),
		adj:   one(g.r, adjectives),
		cust:  one(g.r, companies),
		topic: t.topics[0],
		pct:   20 + 5*g.r.IntN(11),
	}
	base, level := g.code(ti, 100*(1+pick(g.r, spec.levels)))
	g.expand(one(g.r, spec.titles), &v)
	title := g.text.done()
	g.expand(one(g.r, spec.intros), &v)
	g.text.write(" ")
	if spec.middles != nil {
		g.expand(one(g.r, spec.middles), &v)
	} else {
		g.expand(one(g.r, middles), &v)
	}
	g.text.write(" ")
	g.expand(one(g.r, spec.closings), &v)
	abstract := g.text.done()

	topics := []string{t.topics[0]}
	if len(t.topics) > 1 && g.r.IntN(100) < 40 {
		topics = append(topics, one(g.r, t.topics[1:]))
	}
	if x := one(g.r, crossTopics); g.r.IntN(100) < 15 && !slices.Contains(topics, x) {
		topics = append(topics, x)
	}
	speakers := make([]lanyard.Speaker, 1+pick(g.r, spec.speakers))
	for i := range speakers {
		speakers[i] = g.speaker(i == 0, v.cust)
	}

	runs := g.schedule(spec.kind, spec.minutes/30, venueIndex(t.home), n)
	for i, p := range runs {
		s := lanyard.Session{
			Code:       base,
			Title:      title,
			Abstract:   abstract,
			Type:       spec.typ,
			Level:      level,
			Topics:     topics,
			Speakers:   speakers,
			Venue:      campus[p.room.venue].code,
			Room:       p.room.name,
			Start:      g.at(p.day, p.slot),
			End:        g.at(p.day, p.slot+spec.minutes/30),
			Capacity:   p.room.seats,
			Reservable: spec.reservable,
		}
		if len(runs) > 1 {
			g.text.write(base)
			g.text.write("-R")
			g.text.writeInt(i+1, 1)
			s.Code = g.text.done()
			s.RepeatGroup = base
		}
		if i > 0 {
			// Each run owns its slices, so that editing one never edits another.
			s.Topics = slices.Clone(topics)
			s.Speakers = slices.Clone(speakers)
		}
		out = append(out, s)
	}
	return out
}

// pickTrack returns the index of a track, by weight.
func pickTrack(r *rand.Rand) int {
	total := 0
	for _, t := range tracks {
		total += t.weight
	}
	n := r.IntN(total)
	for i, t := range tracks {
		if n < t.weight {
			return i
		}
		n -= t.weight
	}
	panic("demo: pickTrack: no tracks")
}

// code returns an unused code of track t at level ("ARC301") and the level.
// Real codes have two digits after the level, so when a level's 99 numbers
// are taken the content moves to the next level.
func (g *catalogGen) code(t, level int) (string, int) {
	for range 4 {
		used := &g.used[t][level/100-1]
		start := g.r.IntN(99)
		for k := range 99 {
			num := 1 + (start+k)%99
			if !used[num] {
				used[num] = true
				g.text.write(tracks[t].prefix)
				g.text.writeInt(level/100, 1)
				g.text.writeInt(num, 2)
				return g.text.done(), level
			}
		}
		level = level%400 + 100
	}
	panic("demo: track " + tracks[t].prefix + " has no codes left")
}

// expand writes tmpl to the arena with its {placeholders} replaced.
func (g *catalogGen) expand(tmpl string, v *slotVars) {
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}') + i
		g.text.write(tmpl[:i])
		switch key := tmpl[i+1 : j]; key {
		case "svc":
			g.text.write(v.svc)
		case "work":
			g.text.write(v.work)
		case "adj":
			g.text.write(v.adj)
		case "cust":
			g.text.write(v.cust)
		case "topic":
			g.text.write(v.topic)
		case "pct":
			g.text.writeInt(v.pct, 1)
		default:
			panic("demo: unknown placeholder {" + key + "}")
		}
		tmpl = tmpl[j+1:]
	}
	g.text.write(tmpl)
}

// speaker makes a speaker. Leads are mostly from AWS; co-speakers are mostly
// from cust, the customer the session talks about.
func (g *catalogGen) speaker(lead bool, cust string) lanyard.Speaker {
	fromAWS := g.r.IntN(100) < 40
	if lead {
		fromAWS = g.r.IntN(100) < 85
	}
	if fromAWS {
		return lanyard.Speaker{Name: g.speakerName(), JobTitle: one(g.r, awsTitles), Company: aws}
	}
	return lanyard.Speaker{Name: g.speakerName(), JobTitle: one(g.r, customerTitles), Company: cust}
}

func (g *catalogGen) speakerName() string {
	l := choose(g.r, locales, func(l locale) int { return l.weight })
	return l.name(g.r, &g.text)
}

// run is one scheduled run of a content.
type run struct {
	room      *room
	day, slot int
}

// schedule finds up to n runs of slots half hours in rooms of kind, on
// different days and, where it can, in different venues; the first run is
// in the track's home venue half the time.
func (g *catalogGen) schedule(kind roomKind, slots, home, n int) []run {
	runs := make([]run, 0, n)
	var usedDays, usedVenues uint
	for i := range n {
		v := -1
		if i == 0 && len(g.rooms[kind][home]) > 0 && g.r.IntN(2) == 0 {
			v = home
		}
		if v < 0 {
			v = g.pickVenue(kind, usedVenues)
		}
		d := pickExcept(g.r, dayWeights, usedDays)
		// Prefer the drawn day, then the other unused days, then any day.
		for k := range 2 * days {
			day := (d + k) % days
			if k < days && usedDays&(1<<day) != 0 {
				continue
			}
			if rm, slot, ok := g.place(kind, slots, day, v); ok {
				runs = append(runs, run{rm, day, slot})
				usedDays |= 1 << day
				usedVenues |= 1 << rm.venue
				break
			}
		}
	}
	return runs
}

// pickVenue returns a venue with rooms of kind, chosen by how many it has,
// avoiding the venues in the except bit set when it can.
func (g *catalogGen) pickVenue(kind roomKind, except uint) int {
	var w [8]int
	for vi, rooms := range g.rooms[kind] {
		w[vi] = len(rooms)
	}
	return pickExcept(g.r, w[:len(campus)], except)
}

// pickExcept is pick with the indexes in the except bit set left out, unless
// that leaves nothing to pick. It takes at most 8 weights (venues or days).
func pickExcept(r *rand.Rand, weights []int, except uint) int {
	var w [8]int
	total := 0
	for i, x := range weights {
		if except&(1<<i) == 0 {
			w[i] = x
			total += x
		}
	}
	if total == 0 {
		return pick(r, weights)
	}
	return pick(r, w[:len(weights)])
}

// place finds a free start in a room of kind on day d, trying venue v first
// and then the others. The start is in half hours from 08:00.
func (g *catalogGen) place(kind roomKind, slots, d, v int) (*room, int, bool) {
	byVenue := g.rooms[kind]
	off := g.r.IntN(len(byVenue))
	for k := -1; k < len(byVenue); k++ {
		vi := v
		if k >= 0 {
			if vi = (off + k) % len(byVenue); vi == v {
				continue
			}
		}
		rooms := byVenue[vi]
		if len(rooms) == 0 {
			continue
		}
		roff := g.r.IntN(len(rooms))
		for i := range rooms {
			rm := rooms[(roff+i)%len(rooms)]
			if slot, ok := g.fit(rm, slots, d); ok {
				return rm, slot, true
			}
		}
	}
	return nil, 0, false
}

// fit takes a free start on the room's grid for day d, a session of slots
// half hours and a half hour's changeover after it.
func (g *catalogGen) fit(rm *room, slots, d int) (int, bool) {
	pitch := slots + 1
	phase := rm.phase[d] % pitch
	last := dayEnd(d) - slots - phase // latest start that ends by dayEnd
	if last < 0 {
		return 0, false
	}
	n := last/pitch + 1
	off := g.r.IntN(n)
	for i := range n {
		s := phase + (off+i)%n*pitch
		if m := span(s, pitch); rm.busy[d]&m == 0 {
			rm.busy[d] |= m
			return s, true
		}
	}
	return 0, false
}

// span is the bit set of n half hours from slot.
func span(slot, n int) uint32 { return (1<<n - 1) << slot }

// at returns the instant of half hour slot (from 08:00) on day d, in UTC.
func (g *catalogGen) at(d, slot int) time.Time {
	return g.clock(d, 8+slot/2, 30*(slot%2))
}

// clock returns the instant the event's clocks show hour:minute on day d, in
// UTC. Minutes past 59 carry into the hours, as in time.Date.
func (g *catalogGen) clock(d, hour, minute int) time.Time {
	y, m, day := g.start.Date()
	return time.Date(y, m, day+d, hour, minute, 0, 0, g.loc).UTC()
}

// venueIndex returns the index of the venue with code in campus.
func venueIndex(code string) int {
	for i, v := range campus {
		if v.code == code {
			return i
		}
	}
	panic("demo: no venue " + code)
}

// popularity gives each content a Zipf share of demand (exponent 1.1) by
// rank: keynotes first, then the others in random order. Repeats split their
// content's share.
func (g *catalogGen) popularity(out []lanyard.Session, groups []group) map[string]float64 {
	const s = 1.1
	perm := g.r.Perm(len(groups) - len(keynotes))
	weights := make([]float64, len(groups))
	sum := 0.0
	for i := range groups {
		rank := i + 1
		if i >= len(keynotes) {
			rank = len(keynotes) + 1 + perm[i-len(keynotes)]
		}
		weights[i] = math.Pow(float64(rank), -s)
		sum += weights[i]
	}
	pop := make(map[string]float64, len(out))
	for i, grp := range groups {
		share := weights[i] / sum / float64(grp.n)
		for _, sess := range out[grp.first : grp.first+grp.n] {
			pop[sess.Code] = share
		}
	}
	return pop
}
