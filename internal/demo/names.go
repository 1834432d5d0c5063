package demo

import "math/rand/v2"

// locale is a naming tradition and where its people tend to live. Names are
// written as their bearers write them: Korean in Hangul, Japanese in kanji.
type locale struct {
	weight      int
	given       []string
	family      []string
	familyFirst bool   // Korean and Japanese put the family name first
	sep         string // between the names; Korean writes none
	zones       []zone
	companies   []string // local employers, for half of the locale's attendees
	jobTitles   []string // local job titles, for half of the locale's attendees
}

// zone is a home time zone and its weight within a locale.
type zone struct {
	name   string
	weight int
}

// name writes a full name to a and returns it.
func (l *locale) name(r *rand.Rand, a *arena) string {
	first, second := one(r, l.given), one(r, l.family)
	if l.familyFirst {
		first, second = second, first
	}
	return a.join(first, l.sep, second)
}

// locales mix the people of a global conference. About two thirds live in
// the Americas and about one in ten in Seoul.
var locales = []locale{
	{
		weight: 48,
		given:  []string{"James", "Mary", "Michael", "Jennifer", "David", "Sarah", "Chris", "Emily", "Daniel", "Jessica", "Matthew", "Ashley", "Andrew", "Lauren", "Ryan", "Megan", "Kevin", "Rachel", "Brian", "Olivia", "Ethan", "Chloe", "Tyler", "Grace"},
		family: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "O'Brien", "Murphy"},
		sep:    " ",
		zones: []zone{
			{"America/Los_Angeles", 30}, {"America/New_York", 25}, {"America/Chicago", 15}, {"America/Denver", 7},
			{"America/Phoenix", 3}, {"America/Toronto", 5}, {"America/Vancouver", 3}, {"Europe/London", 9}, {"Australia/Sydney", 3},
		},
	},
	{
		weight: 10,
		given:  []string{"María", "José", "Juan", "Ana", "Carlos", "Lucía", "Javier", "Sofía", "Diego", "Valentina", "Alejandro", "Camila", "Miguel", "Isabel", "Andrés", "Gabriela"},
		family: []string{"García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Morales", "Núñez"},
		sep:    " ",
		zones: []zone{
			{"America/Los_Angeles", 20}, {"America/Mexico_City", 25}, {"America/Bogota", 15}, {"America/Argentina/Buenos_Aires", 10},
			{"America/Santiago", 10}, {"America/New_York", 5}, {"Europe/Madrid", 15},
		},
	},
	{
		weight:      11,
		given:       []string{"지현", "민준", "서연", "도윤", "하은", "예준", "수빈", "지훈", "서준", "지민", "현우", "유진", "민서", "승현", "은지", "동현", "소연", "재원", "혜진", "성민"},
		family:      []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송"},
		familyFirst: true,
		zones:       []zone{{"Asia/Seoul", 92}, {"America/Los_Angeles", 8}},
		companies:   []string{"누리클라우드", "한빛데이터", "새벽물류", "다온핀테크", "별빛게임즈", "온누리헬스케어"},
		jobTitles:   []string{"소프트웨어 엔지니어", "클라우드 아키텍트", "데이터 엔지니어", "DevOps 엔지니어", "개발팀장", "CTO"},
	},
	{
		weight: 10,
		given:  []string{"Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Divya", "Rohan", "Kavya", "Aditya", "Neha", "Sanjay", "Pooja", "Karthik", "Lakshmi"},
		family: []string{"Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Singh", "Kumar", "Menon", "Rao", "Desai", "Chatterjee", "Joshi", "Mehta", "Krishnan", "Agarwal"},
		sep:    " ",
		zones:  []zone{{"America/Los_Angeles", 30}, {"America/New_York", 20}, {"America/Chicago", 10}, {"Asia/Kolkata", 40}},
	},
	{
		weight:      5,
		given:       []string{"陽翔", "蓮", "湊", "結衣", "陽菜", "大翔", "美咲", "健太", "翔太", "さくら", "優奈", "拓也"},
		family:      []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"},
		familyFirst: true,
		sep:         " ",
		zones:       []zone{{"Asia/Tokyo", 85}, {"America/Los_Angeles", 15}},
		companies:   []string{"株式会社クモテック", "さくらペイメント", "ミライ物流"},
	},
	{
		weight: 5,
		given:  []string{"Wei", "Jing", "Hao", "Xin", "Yu", "Mei", "Jun", "Lei", "Ying", "Tao", "Fang", "Ming"},
		family: []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun"},
		sep:    " ",
		zones:  []zone{{"America/Los_Angeles", 45}, {"America/New_York", 25}, {"Asia/Singapore", 15}, {"Asia/Shanghai", 15}},
	},
	{
		weight: 5,
		given:  []string{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Laura", "Maximilian", "Julia", "Paul", "Katharina", "Tobias", "Sophie", "Jan", "Hannah", "Stefan", "Sabine"},
		family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann"},
		sep:    " ",
		zones:  []zone{{"Europe/Berlin", 70}, {"Europe/Vienna", 15}, {"Europe/Zurich", 15}},
	},
	{
		weight: 3,
		given:  []string{"Camille", "Louis", "Chloé", "Hugo", "Manon", "Julien", "Léa", "Antoine", "Inès", "Thomas"},
		family: []string{"Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre"},
		sep:    " ",
		zones:  []zone{{"Europe/Paris", 80}, {"America/Toronto", 20}},
	},
	{
		weight: 3,
		given:  []string{"João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Larissa", "Rafael", "Juliana", "Thiago", "Fernanda"},
		family: []string{"Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Carvalho", "Almeida", "Ferreira", "Ribeiro", "Rocha"},
		sep:    " ",
		zones:  []zone{{"America/Sao_Paulo", 100}},
	},
}

// aws is the company of AWS speakers, staff and the organizer.
const aws = "Amazon Web Services"

// companies are invented employers, in the style of AWS's own examples.
var companies = []string{
	"AnyCompany", "AnyCompany Financial", "Example Corp", "Octank", "Octank Health",
	"Acme Robotics", "Bluefin Analytics", "Cobalt Health", "Driftwood Media", "Evergreen Bank",
	"Fathom Logistics", "Granite Insurance", "Helix Genomics", "Ironclad Security", "Juniper Retail",
	"Kestrel Airlines", "Lumen Energy", "Maple Grocers", "Nimbus Games", "Orbit Telecom",
	"Pinecone Pharma", "Quartz Capital", "Redwood University", "Summit Motors", "Tidewater Shipping",
	"Umbra Studios", "Vantage Payments", "Willow Travel", "Xenon Semiconductors", "Yellowstone County",
	"Zephyr Streaming", "Northwind Traders", "Coral Reef Hotels", "Atlas Manufacturing", "Beacon Public Schools",
}

// sponsors are the exhibitors' employers.
var sponsors = []string{
	"Datastream Inc.", "Observa", "CloudGuard Labs", "Stackwise", "Vectorly", "Pipeline.io", "Lattice DB", "Shieldline",
}

// jobTitles are attendees' job titles.
var jobTitles = []string{
	"Software Engineer", "Senior Software Engineer", "Staff Engineer", "Cloud Architect", "Solutions Architect",
	"DevOps Engineer", "Site Reliability Engineer", "Platform Engineer", "Data Engineer", "Data Scientist",
	"Machine Learning Engineer", "Security Engineer", "Database Administrator", "Engineering Manager", "Technical Lead",
	"Product Manager", "IT Director", "VP of Engineering", "CTO", "CIO",
	"Consultant", "Developer Advocate", "Network Engineer", "Student", "Founder",
}

// awsTitles are AWS speakers' job titles.
var awsTitles = []string{
	"Principal Solutions Architect", "Senior Solutions Architect", "Specialist Solutions Architect",
	"Senior Developer Advocate", "Principal Developer Advocate", "Principal Engineer", "Senior Principal Engineer",
	"Distinguished Engineer", "Senior Product Manager", "Principal Product Manager", "General Manager",
	"Director, Product Management", "Senior Partner Solutions Architect", "Worldwide Tech Leader",
}

// customerTitles are the job titles of speakers from customers.
var customerTitles = []string{
	"CTO", "VP of Engineering", "Staff Engineer", "Head of Platform", "Principal Architect",
	"Director of Data Engineering", "Lead Cloud Engineer", "Chief Information Security Officer", "Head of AI",
}

// certifications are AWS Certification titles, in the order people take them.
var certifications = []string{
	"AWS Certified Cloud Practitioner",
	"AWS Certified AI Practitioner",
	"AWS Certified Solutions Architect – Associate",
	"AWS Certified Developer – Associate",
	"AWS Certified CloudOps Engineer – Associate",
	"AWS Certified Data Engineer – Associate",
	"AWS Certified Machine Learning Engineer – Associate",
	"AWS Certified Solutions Architect – Professional",
	"AWS Certified DevOps Engineer – Professional",
	"AWS Certified Advanced Networking – Specialty",
	"AWS Certified Security – Specialty",
}
