// Writes regex_cases.jsonl: patterns and texts with what Go's regexp (the engine Prometheus,
// Alertmanager and Go templates use) answers for them, for LinearRegexTests to compare against.
// Regenerate with: go run regex_oracle.go > regex_cases.jsonl
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"strings"
)

type result struct {
	Pattern  string `json:"p"`
	Compiles bool   `json:"ok"`
	Text     string `json:"t"`
	Whole    bool   `json:"whole"`
	Contains bool   `json:"contains"`
	Groups   []int  `json:"groups"`
	Replaced string `json:"repl"`
}

var atoms = []string{"a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", `\d`, `\w`, `\s`, `\W`, `\b`, `\B`, "^", "$",
	"é", "[[:alpha:]]", "[[:^digit:]]", `\pL`, `\p{Lu}`, `\PL`, `\.`, "-", "[é-ü]", `\x41`, `\x{e9}`, `[\d-]`,
	`\A`, `\z`, "A", "(?i:a)", "(?s:.)", "[^\\n]", "1"}
var quantifiers = []string{"", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "??", "{1,2}?", "{0}"}

func gen(r *rand.Rand, depth int, names *int) string {
	var parts []string
	n := 1 + r.Intn(3)
	for i := 0; i < n; i++ {
		var atom string
		switch k := r.Intn(10); {
		case depth < 3 && k == 0:
			atom = "(" + gen(r, depth+1, names) + ")"
		case depth < 3 && k == 1:
			atom = "(?:" + gen(r, depth+1, names) + ")"
		case depth < 3 && k == 2:
			*names++
			atom = fmt.Sprintf("(?P<n%d>", *names) + gen(r, depth+1, names) + ")"
		default:
			atom = atoms[r.Intn(len(atoms))]
		}
		q := quantifiers[r.Intn(len(quantifiers))]
		if atom == "^" || atom == "$" || atom == `\b` || atom == `\B` || atom == `\A` || atom == `\z` {
			q = ""
		}
		parts = append(parts, atom+q)
	}
	re := strings.Join(parts, "")
	if r.Intn(5) == 0 {
		re += "|" + gen(r, depth+1, names)
	}
	if depth == 0 && r.Intn(8) == 0 {
		re = []string{"(?i)", "(?m)", "(?s)", "(?U)"}[r.Intn(4)] + re
	}
	return re
}

func text(r *rand.Rand) string {
	alphabet := []string{"a", "b", "c", "A", "B", "-", "é", "\n", "1", " ", ".", "ü"}
	var b strings.Builder
	for i, n := 0, r.Intn(9); i < n; i++ {
		b.WriteString(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

var fixed = []string{
	"a**", "(", ")", "[a", "a{2,1}", `\1`, "(?=a)", "(?!a)", "a{1001}", `\pX`, "x{2}{3}", "*a", "a|*",
	"[z-a]", `\8`, `\Z`, `\C`, "(?P<n>a)(?P<n>b)", "(?P<>a)", "a{,3}", "a{2", "{", "}", "]", "[]a]", "[^]a]",
	`[a-]`, `[-a]`, `\Qa.b\E`, `(?i)k`, `(?i)[k]`, `(?i)ß`, `\x{110000}`, `\x{}`, `\xg`, `\0`, `\07`,
	`\101`, `(?i-i)a`, "(?i", "(?-)", "(a*)*", "(a*)+", "(a|b)*c", "(a+)+b", `^(\w+)@(\w+)\.com$`,
	`(?m)^a$`, `(?s)a.b`, `(?U)a+`, `(?U)a+?`, "a{0}", "(a){0}", "a{3,}", "[[:word:]]+", `[\pL\d]+`, `[^\pL]`,
	`\p{^L}`, `[\P{L}]`, "x*", "", "a|", "|a", "(|a)+", `\bfoo\b`, `(?i)ÉCOLE`,
}

func main() {
	r := rand.New(rand.NewSource(20261206))
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	texts := []string{"", "a", "aa", "ab", "abc", "aaab", "a.b", "foo@bar.com", "x\na", "a\nb", "k", "K", "\u212a", "école", "ÉCOLE", "ß", "12a", "-", "é"}
	var patterns []string
	patterns = append(patterns, fixed...)
	for i := 0; i < 300; i++ {
		names := 0
		patterns = append(patterns, gen(r, 0, &names))
	}
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			enc.Encode(result{Pattern: p})
			continue
		}
		anchored := regexp.MustCompile(`^(?:` + p + `)$`)
		cases := append([]string{}, texts[:4]...)
		for i := 0; i < 4; i++ {
			cases = append(cases, text(r))
		}
		cases = append(cases, texts[6+r.Intn(len(texts)-6)])
		for _, t := range cases {
			enc.Encode(result{Pattern: p, Compiles: true, Text: t, Whole: anchored.MatchString(t),
				Contains: re.MatchString(t), Groups: anchored.FindStringSubmatchIndex(t),
				Replaced: re.ReplaceAllString(t, "<$1|${0}>")})
		}
	}
}
