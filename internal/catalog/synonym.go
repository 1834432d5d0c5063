package catalog

// synonyms is the event's vocabulary: what people type, and the words the
// catalog uses for it. A query word that is a key also matches each of its
// phrases, every word of a phrase exactly ("genai" finds "Generative AI";
// "gen ai" typed as two words already matches by prefix). Keys are
// lowercased single words, as tokenize makes them; the table is directed,
// so "eks" finds EKS sessions but not every Kubernetes talk.
var synonyms = map[string][]string{
	"k8s":        {"kubernetes", "eks"},
	"kubernetes": {"k8s", "eks"},
	"eks":        {"elastic kubernetes service"},
	"ecs":        {"elastic container service"},
	"genai":      {"generative ai", "gen ai", "llm", "foundation model", "bedrock"},
	"llm":        {"large language model", "foundation model", "generative ai"},
	"llms":       {"large language models", "foundation models", "generative ai"},
	"ml":         {"machine learning", "sagemaker"},
	"ai":         {"artificial intelligence", "generative ai", "machine learning"},
	"aiml":       {"ai ml", "machine learning", "artificial intelligence"},
	"rag":        {"retrieval augmented generation"},
	"iac":        {"infrastructure as code", "cdk", "cloudformation"},
	"cicd":       {"ci cd", "continuous integration", "continuous delivery", "codepipeline"},
	"devops":     {"dev ops", "ci cd"},
	"faas":       {"lambda", "serverless"},
	"iot":        {"internet of things"},
	"db":         {"database", "databases"},
	"dbs":        {"databases"},
	"vpc":        {"virtual private cloud"},
	"s3":         {"simple storage service"},
	"ec2":        {"elastic compute cloud"},
	"hpc":        {"high performance computing"},
	"o11y":       {"observability"},
	"finops":     {"cost optimization"},
	"security":   {"secure", "iam"},
	// Korean words for the same things, so a Korean attendee can search in
	// Korean an English catalog.
	"쿠버네티스":  {"kubernetes", "k8s", "eks"},
	"서버리스":   {"serverless"},
	"생성형":    {"generative ai", "genai"},
	"머신러닝":   {"machine learning"},
	"인공지능":   {"artificial intelligence", "generative ai", "machine learning"},
	"보안":     {"security"},
	"컨테이너":   {"containers", "container"},
	"데이터베이스": {"database", "databases"},
	"네트워킹":   {"networking"},
	"스토리지":   {"storage"},
	"분석":     {"analytics"},
	"키노트":    {"keynote"},
}

// expand returns the phrases a query word also matches, each split in words.
func expand(term string) [][]string {
	ps := synonyms[term]
	if len(ps) == 0 {
		return nil
	}
	out := make([][]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, tokenize(p))
	}
	return out
}
