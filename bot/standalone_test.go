package bot

import (
	"strings"
	"testing"
)

func TestRewriteOffline(t *testing.T) {
	tests := []struct {
		name     string
		prev     Previous
		question string
		want     string
		changed  bool
	}{
		{"it is the title the last answer gave",
			Previous{"what is the book called?", []string{"Trita Parsi"}, "Treacherous Alliance", "", nil, "", nil},
			"who wrote it?", "Who wrote Treacherous Alliance?", true},
		{"a short question that names nothing continues the topic",
			Previous{"When was the terrorist attack in Saudi Arabia?", nil, "", "", nil, "", nil},
			"how many people died?", "How many people died in the terrorist attack?", true},
		{"a short question with a pronoun is not an ellipsis",
			Previous{"where does Parsi teach?", nil, "", "", nil, "", nil},
			"how many copies has it sold?", "how many copies has it sold?", false},
		{"a short question that names something stands alone",
			Previous{"When was the terrorist attack in Saudi Arabia?", nil, "", "", nil, "", nil},
			"what's the weather like in Tehran?", "what's the weather like in Tehran?", false},
		{"that person is the cited speaker of a who-question",
			Previous{"Who said it wasn't an official overture?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"what did that person say about Rezai?", "What did Karim Sadjepour say about Rezai?", true},
		{"he is the cited speaker of a who-question",
			Previous{"Who said it wasn't an official overture?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"what else did he say?", "What else did Karim Sadjepour say?", true},
		{"the person answered, not the speaker who tells of it, after who did X",
			Previous{"who made the pitch to the israelis?", []string{"Trita Parsi"}, "", "Mohsen Rezai", nil, "", nil},
			"what did he propose?", "What did Mohsen Rezai propose?", true},
		{"a name led by the is a group, not the person a pronoun means",
			Previous{"who made the pitch to the israelis?", []string{"Trita Parsi"}, "", "Mohsen Rezai", nil, "", nil},
			"what were the Israelis offering through him?", "What were the Israelis offering through Mohsen Rezai?", true},
		{"named once, the person is he again after",
			Previous{"who made the pitch to the israelis?", []string{"Trita Parsi"}, "", "Mohsen Rezai", nil, "", nil},
			"what happened to him when he got back home?", "What happened to Mohsen Rezai when he got back home?", true},
		{"what about X, then a question: its pronoun is X",
			Previous{"who killed the iran proposal inside the bush admin", []string{"Flynt Leverett"}, "", "While Washington", nil, "", nil},
			"what about parsi, who does he blame", "Who does parsi blame", true},
		{"what about X, then a question without a pronoun: asked of X",
			Previous{"how many jobs is lumora cutting?", nil, "", "", nil, "", nil},
			"and what about the union, what's the latest offer?", "The union: what's the latest offer?", true},
		{"chat before the question is dropped",
			Previous{"how many people had to evacuate because of the cedar ridge fire?", nil, "", "", nil, "", nil},
			"jeez. how big is it now", "How big is the cedar ridge fire now", true},
		{"a title's period is not chat",
			Previous{"what did the embassy say?", nil, "", "", nil, "", nil},
			"Mr. Rove, what did he say", "Mr. Rove, what did he say", false},
		{"chat that asks nothing continues no topic",
			Previous{"what did the pakistani air marshal propose", nil, "", "", nil, "", nil},
			"ok brb dinner", "ok brb dinner", false},
		{"after did, the subject stops before the verb",
			Previous{"why did the talks end", nil, "", "", nil, "", nil},
			"was anyone hurt when they stormed it", "Was anyone hurt when they stormed the talks", true},
		{"they is not a person the story names",
			Previous{"how many people had to evacuate?", []string{"Priya Raghunathan"}, "", "", nil, "", nil},
			"do they know what started it", "do they know what started it", false},
		{"a people's adjective is not the person",
			Previous{"Who was the Finnish banker?", []string{"Eleanor Whitcombe-Ruiz"}, "", "", nil, "", nil},
			"did he get paid", "Did the Finnish banker get paid", true},
		{"a speaker written with a pronoun or led by a number is no referent; a person subject is",
			Previous{"what did the pakistani air marshal propose", []string{"One of them", "three diplomats who took part"}, "", "", nil, "", nil},
			"what did the army chief think of his idea", "What did the army chief think of the pakistani air marshal’s idea", true},
		{"a person subject asked for their words is the speaker quoted",
			Previous{"What did Lindell's lawyer say outside the courthouse?", []string{"Everett Sandoval"}, "", "", nil, "", nil},
			"did he say anything else", "Did Everett Sandoval say anything else", true},
		{"with no one in the last turn, the person of an earlier one",
			Previous{"how did the stock react", nil, "", "", nil, "Lumora's CEO", nil},
			"is she taking a pay cut herself", "Is Lumora's CEO taking a pay cut herself", true},
		{"and X replaces the phrase of the same kind",
			Previous{"What time will Fairhaven high schools start under the new schedule?", nil, "", "", nil, "", nil},
			"and middle schools?", "What time will middle schools start under the new schedule?", true},
		{"that after respond to is what was said",
			Previous{"Whom does Parsi blame?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"did cheney ever respond to that", "did cheney ever respond to that", false},
		{"after did anyone, the speaker the question does not name",
			Previous{"did anyone who was at the athens session disagree w Parsi", []string{"Trita Parsi", "a senior Israeli who attended the session"}, "", "", nil, "", nil},
			"why wouldnt they say", "Why wouldnt the senior Israeli who attended the session say", true},
		{"a possessive drops the clause that describes the person",
			Previous{"did anyone at the athens session disagree w Parsi", []string{"Trita Parsi", "a senior Israeli who attended the session"}, "", "", nil, "", nil},
			"whats their name", "Whats the senior Israeli’s name", true},
		{"a turn about no one leaves the person of an earlier one, not the source its answer quoted",
			Previous{"what were the meetings about", []string{"Lillian Sarkis"}, "", "", nil, "the US ambassador", nil},
			"how much money was he talking about releasing", "How much money was the US ambassador talking about releasing", true},
		{"a person described as the object",
			Previous{"What were the soviets offering thru the Finnish banker", []string{"A new history of Cold War diplomacy"}, "", "", nil, "", nil},
			"did he get paid", "Did the Finnish banker get paid", true},
		{"after who did something to X, the speaker who is not X",
			Previous{"who disputed Parsi's account of the Athens meeting?", []string{"Trita Parsi", "a senior Israeli who attended the session"}, "", "", nil, "", nil},
			"what did that person say happened?", "What did the senior Israeli who attended the session say happened?", true},
		{"what about X replaces the name",
			Previous{"What did Parsi write about the offer?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"what about Powell?", "What did Powell write about the offer?", true},
		{"and X replaces the noun phrase",
			Previous{"Who wrote the book?", nil, "", "", nil, "", nil},
			"and the letter?", "Who wrote the letter?", true},
		{"possessive name keeps its ’s",
			Previous{"What was Rove's answer?", nil, "", "", nil, "", nil},
			"what about Powell?", "What was Powell’s answer?", true},
		{"topic shift stands alone",
			Previous{"Who wrote the book?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"When did the Athens meeting take place?", "When did the Athens meeting take place?", false},
		{"who was that asks for the person",
			Previous{"Who said it wasn't an official overture?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"who was that again?", "Who was Karim Sadjepour again?", true},
		{"a pronoun after a name in the same question is that name",
			Previous{"Who wrote the book?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"Did Rove say he got it?", "Did Rove say he got it?", false},
		{"it is the previous noun phrase",
			Previous{"Who received the faxed proposal?", []string{""}, "", "", nil, "", nil},
			"who sent it?", "Who sent the faxed proposal?", true},
		{"his becomes a possessive",
			Previous{"Who is Mohsen Rezai?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"what was his job?", "What was Mohsen Rezai’s job?", true},
		{"they is the person named",
			Previous{"What did Parsi say about Rove?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"and what did she write next?", "What did Trita Parsi write next?", true},
		{"a long question with it stands alone",
			Previous{"Who wrote the book?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"who said it wasn't an official overture to Israel?", "who said it wasn't an official overture to Israel?", false},
		{"that as a complementiser is kept",
			Previous{"Who wrote the book?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"did he say that Iran paid?", "Did Trita Parsi say that Iran paid?", true},
		{"it is the object of a who-question, not a person",
			Previous{"Who organizes the Athens conference?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"who attended it?", "Who attended the Athens conference?", true},
		{"a sentence-initial capital is not a name",
			Previous{"According to Leverett, who nixed the proposal?", nil, "", "", nil, "", nil},
			"and Cheney?", "According to Cheney, who nixed the proposal?", true},
		{"a second person stays unresolved",
			Previous{"Who does Peggy Cifrino work for?", []string{"Peggy Cifrino"}, "", "", nil, "", nil},
			"how long has she worked for him?", "How long has Peggy Cifrino worked for him?", true},
		{"they with nobody quoted is the thing",
			Previous{"What happened to the channels of communication?", nil, "", "", nil, "", nil},
			"were they reopened?", "Were the channels reopened?", true},
		{"they is not one thing",
			Previous{"what happened after the bombing in Saudi Arabia?", nil, "", "", nil, "", nil},
			"were they ever reopened?", "were they ever reopened?", false},
		{"they is not the one thing it is",
			Previous{"what did the Bush administration do with the offer?", nil, "", "", nil, "", nil},
			"why did they ignore it?", "Why did they ignore the offer?", true},
		{"they is a body of people",
			Previous{"what happened to the delegation?", nil, "", "", nil, "", nil},
			"were they heard?", "Were the delegation heard?", true},
		{"it as a subject continues the last question's subject, and its topic",
			Previous{"what did iran offer the US in the grand bargain", nil, "", "", nil, "", nil},
			"and what did it want in return?", "What did iran want in return in the grand bargain?", true},
		{"it as an object is still the last question's thing",
			Previous{"what did iran offer the US in the grand bargain", nil, "", "", nil, "", nil},
			"who turned it down?", "Who turned the grand bargain down?", true},
		{"it as a subject is not the person the last answer quoted",
			Previous{"what did Parsi say about the offer?", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"was it real?", "Was the offer real?", true},
		{"that X is X as the last answer described it",
			Previous{"what did the offer include?", nil, "", "", []string{"It included the disbanding of an anti-Iranian militant group."}, "", nil},
			"what's that group called?", "What's the anti-Iranian militant group called?", true},
		{"that X stays when nothing before described it",
			Previous{"what did the offer include?", nil, "", "", []string{"It included the disbanding of a group."}, "", nil},
			"what's that group called?", "what's that group called?", false},
		{"a question word alone asks it of the last question",
			Previous{"who made the pitch to the israelis?", []string{"Trita Parsi"}, "", "Mohsen Rezai", nil, "", nil},
			"when?", "Who made the pitch to the israelis, and when?", true},
		{"another question word alone replaces the one before",
			Previous{"Who made the pitch to the israelis, and when?", nil, "", "", nil, "", nil},
			"and why exactly?", "Who made the pitch to the israelis, and why?", true},
		{"how many alone",
			Previous{"were people killed in the attack?", nil, "", "", nil, "", nil},
			"how many?", "Were people killed in the attack, and how many?", true},
		{"what alone is not a question word asking for more",
			Previous{"who made the pitch?", nil, "", "", nil, "", nil},
			"what?", "what?", false},
		{"it as an object points back in a longer question too",
			Previous{"who got the proposal?", []string{"Trita Parsi"}, "", "Karl Rove", nil, "", nil},
			"did he actually give it to bush tho", "Did Karl Rove actually give the proposal to bush tho", true},
		{"it as a subject of a longer question stays",
			Previous{"what did Iran offer in the letter?", nil, "", "", nil, "", nil},
			"is it true that the swiss passed on the letter", "is it true that the swiss passed on the letter", false},
		{"it is never a person",
			Previous{"What does Trita Parsi do besides writing", []string{"Trita Parsi"}, "", "", nil, "", nil},
			"when is it coming out exactly", "when is it coming out exactly", false},
		{"an object it is never a person either",
			Previous{"What happened to Mohsen Rezai when he got back home", nil, "", "Mohsen Rezai", nil, "", nil},
			"did he get fired or punished over it?", "Did Mohsen Rezai get fired or punished over it?", true},
		{"tell me more asks the last question again",
			Previous{"what did Karim Sadjepour say about Rezai?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"tell me more", "What did Karim Sadjepour say about Rezai?", true},
		{"who said that questions the last answer",
			Previous{"what did Karim Sadjepour say about Rezai?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"who said that?", "What did Karim Sadjepour say about Rezai?", true},
		{"that after a saying verb is the last answer's words",
			Previous{"what did Karim Sadjepour say about Rezai?", []string{"Karim Sadjepour"}, "", "", nil, "", nil},
			"why did he say that?", "Why did Karim Sadjepour say that?", true},
		{"no previous turn",
			Previous{}, "what about him?", "what about him?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := RewriteOffline(tt.prev, tt.question)
			if got != tt.want || changed != tt.changed {
				t.Errorf("RewriteOffline(%q, %q) = %q, %v; want %q, %v", tt.prev.Standalone, tt.question, got, changed, tt.want, tt.changed)
			}
		})
	}
}

func FuzzRewriteOffline(f *testing.F) {
	f.Add("Who said it wasn't an official overture?", "Karim Sadjepour", "what else did he say?")
	f.Add("What was Rove's answer?", "", "what about Powell?")
	f.Add("Who wrote the book?", "Trita Parsi", "and “the letter”?")
	f.Fuzz(func(t *testing.T, prev, speaker, q string) {
		got, changed := RewriteOffline(Previous{Standalone: prev, Speakers: []string{speaker}}, q)
		if !changed && got != strings.TrimSpace(q) {
			t.Errorf("unchanged rewrite %q of %q", got, q)
		}
		if changed && strings.TrimSpace(got) == "" {
			t.Errorf("rewrote %q to nothing", q)
		}
		if len(got) > 4*(len(prev)+len(q)+len(speaker))+16 {
			t.Errorf("rewrite grew from %d to %d bytes", len(q), len(got))
		}
	})
}

func TestNamedIn(t *testing.T) {
	for q, want := range map[string]string{
		"who is mohsen rezai":           "Mohsen Rezai",
		"Who was Zeev Schiff?":          "Zeev Schiff",
		"who was the swiss ambassador?": "",
		"who is Parsi's source?":        "",
		"who is he":                     "",
		"who made the pitch?":           "",
	} {
		if got := namedIn(q); got != want {
			t.Errorf("namedIn(%q) = %q, want %q", q, got, want)
		}
	}
}
