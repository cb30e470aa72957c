package quote_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/internal/storytest"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/quote"
)

// quoteGold is a hand-written table of what a story quotes: every direct
// quotation, the reported claims, and the roles the story gives speakers.
type quoteGold struct {
	Story      string            `json:"story"`
	Headline   string            `json:"headline"`
	End        string            `json:"end"`
	Paragraphs int               `json:"paragraphs"`
	Direct     []goldQuote       `json:"direct"`
	NotQuotes  []goldQuote       `json:"not_quotes"`
	Claims     []goldQuote       `json:"claims"`
	Roles      map[string]string `json:"roles"`
}

type goldQuote struct {
	Paragraph int    `json:"paragraph"`
	Text      string `json:"text"`
	Speaker   string `json:"speaker"`
	Via       string `json:"via"`
	Role      string `json:"role"`
	Fragment  bool   `json:"fragment"`
	Note      string `json:"note"`
}

func (g goldQuote) String() string {
	s := fmt.Sprintf("¶%d %q — %s", g.Paragraph, g.Text, g.Speaker)
	if g.Via != "" {
		s += " (via " + g.Via + ")"
	}
	return s
}

func quoteString(q quote.Quote) string {
	return goldQuote{Paragraph: q.Paragraph, Text: q.Text, Speaker: q.Speaker, Via: q.Via}.String()
}

// readQuoteGold reads a gold table from testdata.
func readQuoteGold(name string) (quoteGold, error) {
	var g quoteGold
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("%s: %w", name, err)
	}
	return g, nil
}

func mustQuoteGold(t *testing.T, name string) quoteGold {
	t.Helper()
	g, err := readQuoteGold(name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// storyPath is where the story of gold table g lives. The gold tables name
// their stories relative to the retrieval package: its testdata, or, for
// the stories that the command's test corpus holds too, that corpus
// (cmd/storybot/testdata/corpus), so that each story is kept once.
func storyPath(g quoteGold) string {
	if strings.HasPrefix(g.Story, "../") {
		return filepath.Join("..", g.Story)
	}
	return filepath.Join("..", "testdata", g.Story)
}

// goldTables are the hand-written gold tables in testdata: the default
// story, and stories from other publications whose attribution styles
// differ (lower-case titles, appositive subjects, pronouns after
// narration).
var goldTables = []string{
	"quotes_gold.json",
	"ohio-lead-pipes.gold.json",
	"doha-sanctions-relief-talks.gold.json",
	"port-calder-dock-strike.gold.json",
	"fairhaven-school-start-times.gold.json",
	"halbrook-tower-dump-ruling.gold.json",
}

func TestExtractQuotesGold(t *testing.T) {
	for _, name := range goldTables {
		t.Run(name, func(t *testing.T) {
			g := mustQuoteGold(t, name)
			paras := storytest.MustBody(t, storyPath(g), g.Headline, g.End)
			if len(paras) != g.Paragraphs {
				t.Fatalf("body has %d paragraphs, want %d", len(paras), g.Paragraphs)
			}
			got := quote.Extract(paras)
			checkQuoteInvariants(t, paras, got)

			var direct, claims []quote.Quote
			for _, qs := range got {
				for _, q := range qs {
					if q.Direct {
						direct = append(direct, q)
					} else {
						claims = append(claims, q)
					}
				}
			}
			t.Run("direct", func(t *testing.T) { compareQuotes(t, direct, g.Direct, true) })
			t.Run("claims", func(t *testing.T) { compareQuotes(t, claims, g.Claims, false) })

			for _, nq := range g.NotQuotes {
				for _, q := range got[nq.Paragraph-1] {
					if q.Direct && q.Text == nq.Text {
						t.Errorf("%s is not a quotation (%s)", quoteString(q), nq.Note)
					}
				}
			}
			for speaker, role := range g.Roles {
				found := false
				for _, q := range append(direct, claims...) {
					found = found || q.Speaker == speaker && q.Role == role
				}
				if !found {
					t.Errorf("no quote of %s with the role %q", speaker, role)
				}
			}
		})
	}
}

// compareQuotes checks that got holds exactly the gold quotes: each one
// found with the right speaker, and nothing else — so no quotation is
// attributed to the wrong person and none is invented.
func compareQuotes(t *testing.T, got []quote.Quote, gold []goldQuote, direct bool) {
	t.Helper()
	used := make([]bool, len(got))
	for _, g := range gold {
		found := false
		for i, q := range got {
			if used[i] || q.Paragraph != g.Paragraph || q.Text != g.Text {
				continue
			}
			found, used[i] = true, true
			if q.Speaker != g.Speaker || q.Via != g.Via {
				t.Errorf("¶%d %q: got speaker %q via %q, want %q via %q %s", g.Paragraph, g.Text, q.Speaker, q.Via, g.Speaker, g.Via, g.Note)
			}
			if g.Role != "" && q.Role != g.Role {
				t.Errorf("¶%d %q: got role %q, want %q", g.Paragraph, g.Text, q.Role, g.Role)
			}
			if direct && q.Fragment != g.Fragment {
				t.Errorf("¶%d %q: got Fragment %v, want %v", g.Paragraph, g.Text, q.Fragment, g.Fragment)
			}
			break
		}
		if !found {
			t.Errorf("missing %s %s", g, g.Note)
		}
	}
	for i, q := range got {
		if !used[i] {
			t.Errorf("unexpected %s", quoteString(q))
		}
	}
}

// checkQuoteInvariants checks what every Quote promises: its text is
// verbatim at its offset in its paragraph, inside its sentence.
func checkQuoteInvariants(t testing.TB, paras []string, got [][]quote.Quote) {
	t.Helper()
	if len(got) != len(paras) {
		t.Fatalf("got %d paragraphs of quotes, want %d", len(got), len(paras))
	}
	for i, qs := range got {
		p := paras[i]
		for _, q := range qs {
			if q.Paragraph != i+1 {
				t.Errorf("¶%d: quote says paragraph %d", i+1, q.Paragraph)
			}
			if q.Text == "" {
				t.Errorf("¶%d: empty quote", i+1)
			}
			if q.Offset < 0 || q.Offset+len(q.Text) > len(p) || p[q.Offset:q.Offset+len(q.Text)] != q.Text {
				t.Errorf("¶%d: %q is not at offset %d", i+1, q.Text, q.Offset)
			}
			if !strings.Contains(p, q.Sentence) || !strings.Contains(q.Sentence, q.Text) {
				t.Errorf("¶%d: sentence %q does not hold %q or is not in the paragraph", i+1, q.Sentence, q.Text)
			}
		}
	}
}

// quoteCase is one hand-made story and some of what it must quote.
type quoteCase struct {
	name  string
	paras []string
	want  []goldQuote // direct quotations (Fragment checked)
	claim []goldQuote // reported claims
	exact bool        // want and claim are all there is
}

func TestExtractQuotesShapes(t *testing.T) {
	cases := []quoteCase{
		{
			name:  "a sentence-initial adverb set off by a comma is no speaker",
			paras: []string{`Already, Donald J. Trump has denounced the acquisition and said, “We'll look at breaking this deal up.”`},
			want:  []goldQuote{{Paragraph: 1, Text: "We'll look at breaking this deal up", Speaker: "Donald J. Trump"}},
			exact: true,
		},
		{
			name:  "a show's title after 'on' is no quotation; the claim runs past it",
			paras: []string{`Senator Tim Kaine, a Virginia Democrat, said on “Meet the Press” that the deal was troubling.`},
			claim: []goldQuote{{Paragraph: 1, Text: "the deal was troubling", Speaker: "Tim Kaine", Role: "a Virginia Democrat"}},
			exact: true,
		},
		{
			name:  "a show's title closing an aside before the verb",
			paras: []string{`Tim Kaine spoke on Sunday.`, `Kaine, appearing on “Meet the Press,” said the deal was troubling.`},
			claim: []goldQuote{{Paragraph: 2, Text: "the deal was troubling", Speaker: "Tim Kaine"}},
			exact: true,
		},
		{
			name:  "quoted Y, with a role, as saying: Y speaks, X relays",
			paras: []string{`Reuters quoted Anna Bell, the company's lawyer, as saying, “We have done nothing wrong.”`},
			want:  []goldQuote{{Paragraph: 1, Text: "We have done nothing wrong", Speaker: "Anna Bell", Via: "Reuters"}},
			exact: true,
		},
		{
			name:  "X writes that Y told aides …: Y's claim relayed by X",
			paras: []string{`In his book, Robert Caro writes that Johnson told aides he would never forgive the senator.`},
			claim: []goldQuote{{Paragraph: 1, Text: "he would never forgive the senator", Speaker: "Johnson", Via: "Robert Caro"}},
			exact: true,
		},
		{
			name:  "a document after wrote is its object, not its writer",
			paras: []string{`The diplomat who met him, a counselor named Walter Hoyt, wrote a series of memos urging Washington to respond.`},
			exact: true,
		},
		{
			name:  "said after the quote, with title and role",
			paras: []string{`“We will not raise taxes,” said Gov. Ann Lee of Vermont.`},
			want:  []goldQuote{{Paragraph: 1, Text: "We will not raise taxes", Speaker: "Ann Lee", Role: "of Vermont"}},
			exact: true,
		},
		{
			name: "quote broken by its attribution, pronoun from the sentence before",
			paras: []string{
				`Mayor Tom Reyes spoke to the council on Monday.`,
				`“We tried,” he said, “but the money ran out.”`,
			},
			want: []goldQuote{
				{Paragraph: 2, Text: "We tried", Speaker: "Tom Reyes"},
				{Paragraph: 2, Text: "but the money ran out", Speaker: "Tom Reyes"},
			},
			exact: true,
		},
		{
			name: "attribution before a colon; surname to full name",
			paras: []string{
				`The budget was written by Comptroller Tom Reyes.`,
				`Reyes said: “The budget is balanced.”`,
			},
			want:  []goldQuote{{Paragraph: 2, Text: "The budget is balanced", Speaker: "Tom Reyes"}},
			exact: true,
		},
		{
			name:  "according to, with a quoted fragment",
			paras: []string{`According to Sen. Ruth Kim, the deal “is all but done.”`},
			want:  []goldQuote{{Paragraph: 1, Text: "is all but done", Speaker: "Ruth Kim", Fragment: true}},
			claim: []goldQuote{{Paragraph: 1, Text: "the deal “is all but done.”", Speaker: "Ruth Kim"}},
			exact: true,
		},
		{
			name:  "X quotes Y as saying",
			paras: []string{`Rep. Omar Haddad quotes a senior diplomat as saying that the talks had “collapsed.”`},
			want:  []goldQuote{{Paragraph: 1, Text: "collapsed", Speaker: "a senior diplomat", Via: "Omar Haddad", Fragment: true}},
			claim: []goldQuote{{Paragraph: 1, Text: "the talks had “collapsed.”", Speaker: "a senior diplomat", Via: "Omar Haddad"}},
			exact: true,
		},
		{
			name: "surname, pronoun and added across paragraphs",
			paras: []string{
				`Dr. Lena Ortiz, a virologist at Emory University, studied the outbreak.`,
				`“It spread faster than we expected,” Ortiz said.`,
				`She added that the new vaccine “works.”`,
			},
			want: []goldQuote{
				{Paragraph: 2, Text: "It spread faster than we expected", Speaker: "Lena Ortiz", Role: "a virologist at Emory University"},
				{Paragraph: 3, Text: "works", Speaker: "Lena Ortiz", Fragment: true},
			},
			claim: []goldQuote{{Paragraph: 3, Text: "the new vaccine “works.”", Speaker: "Lena Ortiz"}},
			exact: true,
		},
		{
			name:  "straight quotation marks and an appositive role",
			paras: []string{`"Nobody told us," said Jane Park, a resident of the block.`},
			want:  []goldQuote{{Paragraph: 1, Text: "Nobody told us", Speaker: "Jane Park", Role: "a resident of the block"}},
			exact: true,
		},
		{
			name:  "a title is not a quotation",
			paras: []string{`In his memoir, “A Long Road Home,” Sen. Bill Ames recalls his childhood in Maine.`},
			exact: true,
		},
		{
			name:  "a denial of saying is no attribution",
			paras: []string{`Gov. Ann Lee has not said whether she will run again.`},
			exact: true,
		},
		{
			name:  "told a newspaper that",
			paras: []string{`Dan Brook told the Times that the plan was dead.`},
			claim: []goldQuote{{Paragraph: 1, Text: "the plan was dead", Speaker: "Dan Brook"}},
			exact: true,
		},
		{
			name: "question in a quotation, recalled, wrote in an e-mail",
			paras: []string{
				`Dan Brook, the former mayor, was at the meeting.`,
				`“Why now?” Brook asked. “It was chaos,” he recalled.`,
				`Brook wrote in an e-mail that he had warned the council.`,
			},
			want: []goldQuote{
				{Paragraph: 2, Text: "Why now?", Speaker: "Dan Brook", Role: "the former mayor"},
				{Paragraph: 2, Text: "It was chaos", Speaker: "Dan Brook"},
			},
			claim: []goldQuote{{Paragraph: 3, Text: "he had warned the council", Speaker: "Dan Brook"}},
			exact: true,
		},
		{
			name: "a description, then they",
			paras: []string{
				`Two officials familiar with the talks said the deal was close. They said a vote could come Friday.`,
			},
			claim: []goldQuote{
				{Paragraph: 1, Text: "the deal was close", Speaker: "Two officials familiar with the talks"},
				{Paragraph: 1, Text: "a vote could come Friday", Speaker: "Two officials familiar with the talks"},
			},
			exact: true,
		},
		{
			name: "a spokeswoman reports what her principal said",
			paras: []string{
				`Sen. Paul Grant did not respond to calls.`,
				`Amy Cho, a spokeswoman for Grant, said he had said last week that the bill was “dead on arrival.”`,
			},
			want:  []goldQuote{{Paragraph: 2, Text: "dead on arrival", Speaker: "Paul Grant", Via: "Amy Cho", Fragment: true}},
			claim: []goldQuote{{Paragraph: 2, Text: "the bill was “dead on arrival.”", Speaker: "Paul Grant", Via: "Amy Cho"}},
			exact: true,
		},
		{
			name: "a quotation running on into the next paragraph",
			paras: []string{
				`“We are not done,” said Rep. Ana Silva. “We will be back next year.`,
				`“And we will have the votes.”`,
			},
			want: []goldQuote{
				{Paragraph: 1, Text: "We are not done", Speaker: "Ana Silva"},
				{Paragraph: 1, Text: "We will be back next year", Speaker: "Ana Silva"},
				{Paragraph: 2, Text: "And we will have the votes", Speaker: "Ana Silva"},
			},
			exact: true,
		},
		{
			name: "a description with a role, then she",
			paras: []string{
				`The senator, a Democrat from Ohio, said she would vote no. “This bill is a giveaway,” she said.`,
			},
			want:  []goldQuote{{Paragraph: 1, Text: "This bill is a giveaway", Speaker: "The senator", Role: "a Democrat from Ohio"}},
			claim: []goldQuote{{Paragraph: 1, Text: "she would vote no", Speaker: "The senator"}},
			exact: true,
		},
		{
			name:  "said with a bare clause; an age is no role",
			paras: []string{`Officials said the attack killed 12.`, `John Smith, 45, said the plan "won't work."`},
			want:  []goldQuote{{Paragraph: 2, Text: "won't work", Speaker: "John Smith", Fragment: true}},
			claim: []goldQuote{
				{Paragraph: 1, Text: "the attack killed 12", Speaker: "Officials"},
				{Paragraph: 2, Text: `the plan "won't work."`, Speaker: "John Smith"},
			},
			exact: true,
		},
		{
			name:  "according to at the end relays the claim before it",
			paras: []string{`Sen. John Smith said he would resign, according to two people familiar with the matter.`},
			claim: []goldQuote{{Paragraph: 1, Text: "he would resign", Speaker: "John Smith", Via: "two people familiar with the matter"}},
			exact: true,
		},
		{
			name:  "said the official, who …",
			paras: []string{`“I think it’s a mistake,” said one senior official, who spoke on condition of anonymity.`},
			want:  []goldQuote{{Paragraph: 1, Text: "I think it’s a mistake", Speaker: "one senior official"}},
			exact: true,
		},
		{
			name: "a named subject with an appositive, then said the …: the rest is the claim",
			paras: []string{
				`Mark Olsen, a former aide to the governor, said the vote showed how divided the party was. “It was a warning,” he said.`,
			},
			want:  []goldQuote{{Paragraph: 1, Text: "It was a warning", Speaker: "Mark Olsen", Role: "a former aide to the governor"}},
			claim: []goldQuote{{Paragraph: 1, Text: "the vote showed how divided the party was", Speaker: "Mark Olsen"}},
			exact: true,
		},
		{
			name:  "a title in lower case before the name",
			paras: []string{`“We will appeal,” said council member Rosa Lindqvist, who voted no.`},
			want:  []goldQuote{{Paragraph: 1, Text: "We will appeal", Speaker: "Rosa Lindqvist", Role: "council member"}},
			exact: true,
		},
		{
			name: "he after narration about someone named in an appositive",
			paras: []string{
				`“It is theft,” said Gov. Ann Lee.`,
				`The city’s lawyer, Peter Van Dorn, dismissed the complaint at a hearing. “There is no case here,” he said.`,
			},
			want: []goldQuote{
				{Paragraph: 1, Text: "It is theft", Speaker: "Ann Lee"},
				{Paragraph: 2, Text: "There is no case here", Speaker: "Peter Van Dorn"},
			},
			exact: true,
		},
		{
			name: "a title after words that qualify it; a bracketed aside in a name",
			paras: []string{
				`County Fire Chief Dana Morrow said the road would reopen Monday.`,
				`“We held the line,” said Col. (ret.) Aaron Blythe.`,
			},
			want:  []goldQuote{{Paragraph: 2, Text: "We held the line", Speaker: "Aaron Blythe"}},
			claim: []goldQuote{{Paragraph: 1, Text: "the road would reopen Monday", Speaker: "Dana Morrow", Role: "County Fire Chief"}},
			exact: true,
		},
		{
			name:  "an organisation named with a place",
			paras: []string{`Norway’s embassy in Madrid said in a statement that the visit was private.`},
			claim: []goldQuote{{Paragraph: 1, Text: "the visit was private", Speaker: "Norway’s embassy in Madrid"}},
			exact: true,
		},
		{
			name: "calling it …, describing them as …: a judgment without quotation marks, by the subject who acted",
			paras: []string{
				`Residents of the valley have since condemned the plan, calling it a reckless gamble with the town’s water supply.`,
				`Several union leaders criticized the rulings, describing them as a blow to workers who had waited years.`,
				`The council ended the debate, calling it off until June.`,
			},
			claim: []goldQuote{
				{Paragraph: 1, Text: "a reckless gamble with the town’s water supply", Speaker: "Residents of the valley"},
				{Paragraph: 2, Text: "a blow to workers who had waited years", Speaker: "Several union leaders"},
			},
			exact: true,
		},
		{
			name: "a message relayed inside another's account: the sender's claim, via the teller",
			paras: []string{
				`Dr. Lena Ortiz, a virologist, ran the trial. Mayor Tom Reyes funded it.`,
				`Ortiz told reporters that after the vote, Reyes sent her a memo stating that the trial data were incomplete.`,
				`Reyes wrote a letter to the board saying that the lab would close.`,
			},
			claim: []goldQuote{
				{Paragraph: 2, Text: "after the vote, Reyes sent her a memo stating that the trial data were incomplete", Speaker: "Lena Ortiz"},
				{Paragraph: 2, Text: "the trial data were incomplete", Speaker: "Tom Reyes", Via: "Lena Ortiz"},
				{Paragraph: 3, Text: "the lab would close", Speaker: "Tom Reyes"},
			},
			exact: true,
		},
		{
			name: "two people as joint subject: the claim is each one's",
			paras: []string{
				`Both Ann Lee, who ran the agency until 2019, and Tom Reyes, who succeeded her, have said publicly that the audit was flawed.`,
				`Lee and Reyes argued that the board had ignored it.`,
				`The vote was delayed, and Bo Park said that the count was wrong.`,
			},
			claim: []goldQuote{
				{Paragraph: 1, Text: "the audit was flawed", Speaker: "Ann Lee", Role: "who ran the agency until 2019"},
				{Paragraph: 1, Text: "the audit was flawed", Speaker: "Tom Reyes", Role: "who succeeded her"},
				{Paragraph: 2, Text: "the board had ignored it", Speaker: "Ann Lee"},
				{Paragraph: 2, Text: "the board had ignored it", Speaker: "Tom Reyes"},
				{Paragraph: 3, Text: "the count was wrong", Speaker: "Bo Park"},
			},
			exact: true,
		},
		{
			name:  "the story's own narration quotes nobody",
			paras: []string{`The plant closed in 2009. Its 300 workers were laid off.`},
			exact: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := quote.Extract(tc.paras)
			checkQuoteInvariants(t, tc.paras, got)
			var direct, claims []quote.Quote
			for _, qs := range got {
				for _, q := range qs {
					if q.Direct {
						direct = append(direct, q)
					} else {
						claims = append(claims, q)
					}
				}
			}
			if tc.exact {
				compareQuotes(t, direct, tc.want, true)
				compareQuotes(t, claims, tc.claim, false)
				return
			}
			compareQuotes(t, keepMatching(direct, tc.want), tc.want, true)
			compareQuotes(t, keepMatching(claims, tc.claim), tc.claim, false)
		})
	}
}

// keepMatching drops the quotes whose text no gold quote has.
func keepMatching(got []quote.Quote, gold []goldQuote) []quote.Quote {
	var kept []quote.Quote
	for _, q := range got {
		for _, g := range gold {
			if g.Paragraph == q.Paragraph && g.Text == q.Text {
				kept = append(kept, q)
				break
			}
		}
	}
	return kept
}

func TestExtractQuotesEmpty(t *testing.T) {
	if got := quote.Extract(nil); len(got) != 0 {
		t.Errorf("ExtractQuotes(nil) = %v, want empty", got)
	}
	got := quote.Extract([]string{"", "   ", "“", "”", `"`, "“”"})
	for i, qs := range got {
		if len(qs) != 0 {
			t.Errorf("¶%d: got %v, want none", i+1, qs)
		}
	}
}

func FuzzExtractQuotes(f *testing.F) {
	for _, name := range goldTables {
		g, err := readQuoteGold(name)
		if err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(storyPath(g))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		`“X,” he said, “Y.”`,
		`According to , “`,
		`, said , who said that “`,
		`"a" "b" "c`,
		`Rezai, he said, was prone to “do his own thing”`,
		"Both A, who was, and B, who, have stated that",
		`Parsi quotes as saying that`,
		`was disputed by`,
		`“”“”""`,
		"“Why?” Smith asked.\n“Because.”",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		paras := strings.Split(s, "\n")
		got := quote.Extract(paras)
		checkQuoteInvariants(t, paras, got)
	})
}

func ExampleExtract() {
	story := []string{
		`Karim Sadjepour is a fellow at the Carnegie Endowment.`,
		`“This doesn’t mean an official overture,” Sadjepour said. Rezai, he said, was prone to “do his own thing.”`,
	}
	for _, qs := range quote.Extract(story) {
		for _, q := range qs {
			if q.Direct {
				fmt.Printf("“%s” — %s (¶%d)\n", q.Text, q.Speaker, q.Paragraph)
			}
		}
	}
	// Output:
	// “This doesn’t mean an official overture” — Karim Sadjepour (¶2)
	// “do his own thing” — Karim Sadjepour (¶2)
}

// TestParseStoryGoldBodies checks that ingestion keeps exactly the body the
// gold tables were written against, a short closing paragraph ("The board
// meets again Jan. 8.") included.
func TestParseStoryGoldBodies(t *testing.T) {
	for _, name := range goldTables {
		t.Run(name, func(t *testing.T) {
			g := mustQuoteGold(t, name)
			want := storytest.MustBody(t, storyPath(g), g.Headline, g.End)
			b, err := os.ReadFile(storyPath(g))
			if err != nil {
				t.Fatal(err)
			}
			s, err := retrieval.ParseStory(g.Story, b, retrieval.Metadata{})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Paragraphs) != len(want) {
				t.Fatalf("ParseStory kept %d paragraphs, want %d", len(s.Paragraphs), len(want))
			}
			for i := range want {
				if s.Paragraphs[i] != want[i] {
					t.Errorf("¶%d: got %q, want %q", i+1, s.Paragraphs[i], want[i])
				}
			}
		})
	}
}
