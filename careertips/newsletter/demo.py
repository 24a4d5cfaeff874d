"""Demo content for the newsletter: two volumes of issues, the question queue, subscribers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from careertips.core.models import User
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber

LETTER, FEATURE, TIP = Article.Kind.LETTER, Article.Kind.FEATURE, Article.Kind.TIP

# (volume, number, title, introduction, [(kind, title, question, signed_as, body)])
ISSUES = [
    (1, 1, "Turning a “no” into your next opening",
     "Welcome to the first issue of *Career Tips*. Each month you will find a reader's "
     "question answered in **Dear Career Tips**, one strategy explained in depth, and a tip "
     "you can use the same week. We start with the moment every job seeker dreads: the "
     "phone call, or the email, that says they chose someone else.",
     [
        (LETTER, "Should I call the manager who turned me down?",
         "I interviewed three times for an operations manager position and felt it went "
         "well. Yesterday the recruiter told me they chose another candidate. A friend says "
         "I should call the hiring manager and ask why. Won't that look desperate, or "
         "like I am trying to argue my way back in?",
         "Second Place in Boulder",
         "Call. Done well, it is one of the smartest things you can do in a search, and "
         "almost nobody does it.\n\n"
         "Think about it from the manager's side. They expect you to be disappointed, maybe "
         "upset. When instead a composed professional calls, thanks them for their time and "
         "asks what would have made them a stronger candidate, their opinion of you changes. "
         "You become the person they remember when the chosen candidate leaves in six "
         "months, or when a colleague down the hall has an opening.\n\n"
         "A few rules:\n\n"
         "- **Come to learn.** Ask one open question: “What could I have done to be a "
         "stronger candidate?”\n"
         "- **Never argue** or try to reverse the decision. It is made.\n"
         "- **Do not get defensive**, whatever you hear. Write it down.\n"
         "- **Thank them sincerely**, then send a short note the same day.\n\n"
         "The point of the call is the impression you leave; any feedback is a bonus. And "
         "there is no downside: you cannot be turned down twice."),
        (FEATURE, "Your accomplishment bank",
         "", "",
         "Hiring managers do not hire duties; they hire results. Yet most résumés read like "
         "job descriptions: *responsible for*, *managed*, *handled*.\n\n"
         "Start an accomplishment bank this week. For every job you have held, write down "
         "five to eight stories in three parts:\n\n"
         "1. **The problem.** What was wrong, slow, expensive or at risk?\n"
         "2. **What you did.** Your actions, not the team's.\n"
         "3. **The result, with a number.** Dollars saved, days cut, customers kept, errors "
         "reduced. An estimate you can defend is better than no number at all.\n\n"
         "“Rebuilt the month-end close checklist and cut the close from nine days to six” is "
         "a story. “Responsible for month-end close” is not.\n\n"
         "These stories become your résumé bullets, your cover letters and, above all, your "
         "interview answers. Keep adding to the bank after you land: it is also how you will "
         "ask for your next raise."),
        (TIP, "Send the thank-you note the same day",
         "", "",
         "Write a short thank-you note to every interviewer before the end of the day. Three "
         "sentences are enough: thank them, mention one thing you discussed, and restate in "
         "one line why you fit the role. Same-day notes are remembered; next-week notes are "
         "not."),
     ]),
    (1, 2, "Negotiating from a prepared position",
     "The best time to prepare for a salary negotiation is before the first interview. "
     "This month: what to say when they ask about money too early, how to find your number, "
     "and the most underused tool in any negotiation.",
     [
        (LETTER, "They asked what I make now",
         "An online application asks for my current salary, and the field is required. I "
         "think I am underpaid by at least fifteen percent. If I put the real number, am I "
         "stuck with a small raise on top of it?",
         "Underpaid in Omaha",
         "You are right to be careful. Your current pay describes your current employer's "
         "budget, not what the new role is worth.\n\n"
         "First, check the rules where you live and where the employer is: a growing number "
         "of states and cities forbid employers to ask about pay history. Where a form "
         "insists anyway, many candidates enter 0 or 1 and explain in the interview.\n\n"
         "When the question comes up in conversation, move it from history to expectations: "
         "“My research puts roles like this between $78,000 and $86,000, depending on the "
         "full package. I'm confident we can find a number that works once we both know "
         "this is the right fit.”\n\n"
         "Then do that research, so the range is real: salary surveys from your professional "
         "association, published ranges in job postings, and two or three conversations with "
         "people who do the job elsewhere."),
        (FEATURE, "Know your number before the offer arrives",
         "", "",
         "Walk into a negotiation with three numbers written down:\n\n"
         "- **Your target**: what the role is worth, based on research, for someone with "
         "your accomplishments.\n"
         "- **Your opening request**: a little above the target, so there is room to meet in "
         "the middle.\n"
         "- **Your walk-away point**: the lowest offer you would accept, decided calmly "
         "in advance and not in the moment.\n\n"
         "Look at the whole package, too: bonus, vacation, retirement match, a review "
         "at six months instead of twelve, a signing bonus to replace a bonus you leave "
         "behind. When salary is stuck, these often are not.\n\n"
         "Finally, rehearse. Say your request out loud, to a friend or a coach, until it "
         "sounds like a fact rather than an apology."),
        (TIP, "Let the silence work",
         "", "",
         "After you state your number, stop talking. The pause will feel long. Do not fill "
         "it with reasons, discounts or “but I'm flexible”. Let the other side answer first."),
     ]),
    (1, 3, "Networking without the awkwardness",
     "Most jobs are filled through someone who knows someone. This month we make networking "
     "less like a cocktail party and more like what it should be: helping people and "
     "staying in touch.",
     [
        (LETTER, "I dread networking events",
         "Everyone tells me to network, but I am an introvert and I hate walking into a room "
         "full of strangers. Last month I went to an industry mixer and left after twenty "
         "minutes without talking to anyone. Is there another way?",
         "Wallflower in Fort Collins",
         "There is, and it may suit you better than the mixer ever would.\n\n"
         "Networking is not about working a room. It is about a few real conversations with "
         "people in your field. Some ideas that favor the quieter among us:\n\n"
         "- **Volunteer at your professional association.** Checking in guests at the "
         "monthly meeting gives you a reason to talk to everyone, and a script.\n"
         "- **Arrive early.** A room of eight people is far easier than a room of eighty.\n"
         "- **Set a small goal**: two conversations, then you may leave with a clear "
         "conscience.\n"
         "- **Prefer one-to-one.** Ask a former colleague or a past interviewer for twenty "
         "minutes of advice over coffee. People like to be asked for advice.\n\n"
         "And follow up every conversation within two days. The follow-up is where most "
         "networking quietly fails."),
        (FEATURE, "The association meeting: a field guide",
         "", "",
         "Your professional association's monthly meeting is the most underrated room in "
         "your job search. Hiring managers attend to learn, not to screen, so they are "
         "relaxed and open.\n\n"
         "**Before:** look at who is speaking and who usually attends. Prepare a "
         "two-sentence introduction built on an accomplishment, not a job title.\n\n"
         "**During:** ask people what they are working on. Listen more than you talk. If "
         "someone mentions a problem you have solved before, say so briefly.\n\n"
         "**After:** within two days, send a short note to each person you met. Offer "
         "something useful: an article, an introduction, a thought on their problem.\n\n"
         "**Next month:** go back. Familiar faces become contacts, and contacts become the "
         "people who tell you about openings before they are posted."),
        (TIP, "Give every contact a follow-up date",
         "", "",
         "Each time you talk with someone in your network, write down when you will be in "
         "touch next, and why. A contact you have not spoken to in a year is a stranger "
         "again."),
     ]),
    (2, 1, "Closing the gaps",
     "Every candidate has a gap between their experience and the job's requirements. The "
     "ones who get hired have thought about theirs before the interviewer does. This issue "
     "opens our second volume: thank you for reading.",
     [
        (LETTER, "How do I explain two years out of work?",
         "I left my job as a purchasing manager two years ago to care for my father, who has "
         "since passed away. Now I am ready to go back, but every interviewer seems to focus "
         "on the gap. What should I say?",
         "Back in the Game",
         "First, I am sorry about your father. Caring for him was important work, and you "
         "have nothing to apologize for.\n\n"
         "Interviewers who ask about a gap usually want to know two things: are your skills "
         "current, and are you ready to commit now? Answer both, briefly, then move on to "
         "what you offer:\n\n"
         "> “I took two years to care for my father. That chapter has closed, and I'm ready "
         "to commit fully. I've kept current by taking a supply chain analytics course and "
         "renewing my certification. In my last role I cut supplier costs by eight percent, "
         "and I'd like to do the same here.”\n\n"
         "Say it once, calmly, and then talk about the job. If you managed money, schedules, "
         "insurers or contractors during those years, that is real experience too: "
         "negotiating with a medical supplier is still negotiating."),
        (FEATURE, "Positioning related experience",
         "", "",
         "When a posting asks for something you have not done exactly, look for what you "
         "have done that is close and show the bridge.\n\n"
         "List the job's five or six main requirements. Next to each, write the story from "
         "your accomplishment bank that comes closest. Where the match is partial, name the "
         "overlap and the difference honestly: “I haven't run a union shop, but I led a "
         "forty-person night shift through a contract change, and here is how I handled it.”\n\n"
         "Interviewers rarely expect a perfect match. They do expect you to know where the "
         "gaps are and to have thought about them. Candidates who raise a gap themselves, "
         "with a plan, usually come across as stronger than those who hope it goes unnoticed."),
        (TIP, "Map every requirement to a story",
         "", "",
         "Before each interview, print the posting and write the name of one of your "
         "accomplishment stories beside every requirement. The empty lines are the questions "
         "you most need to prepare for."),
     ]),
    (2, 2, "The raise you haven't asked for",
     "Career enhancement starts the day you accept an offer. This month: how to ask for the "
     "raise you have earned, and the Friday habit that makes it easy.",
     [
        (LETTER, "My boss says the budget is frozen",
         "I have taken on most of the work of a colleague who retired last year, without any "
         "change in pay. When I raised it, my manager said the raise budget is frozen until "
         "next year. Should I just wait?",
         "Robert",
         "Not quietly. A frozen budget is a real constraint, but it is rarely the end of the "
         "conversation.\n\n"
         "Ask for a meeting with a clear purpose: to review how your role has changed. Bring "
         "a one-page summary: the duties you absorbed, the results you delivered with them, "
         "and what roles with that scope pay today. Then ask two questions:\n\n"
         "- “Can the role be re-graded to match the work I'm doing now?” Re-grading often "
         "comes from a different budget than merit raises.\n"
         "- “If not now, what exactly would need to happen for an increase at the next "
         "review, and can we put a date on it?”\n\n"
         "Ask about non-salary options too: a title change, training, a flexible "
         "schedule. And keep collecting accomplishments. If next year arrives without "
         "movement, you will have a well-documented case, for this employer or the next one."),
        (FEATURE, "Building the case for a raise",
         "", "",
         "A raise request is a short business case, not a plea. It has three parts.\n\n"
         "**What you delivered.** Three or four accomplishments from the past year, each with "
         "a number. Pick the ones your manager's own boss cares about.\n\n"
         "**What the role is worth.** Salary surveys, postings for similar roles, and what "
         "your association's members report. Present a range, not a demand.\n\n"
         "**What you are asking for.** A specific number or percentage, and a date.\n\n"
         "Time it well: a few weeks before budgets are set, not the week after. Rehearse the "
         "common answers (“not in the budget”, “let's revisit later”) and decide in advance "
         "what you will say to each. Stay calm and friendly throughout; the goal is a yes, "
         "or a clear path to one."),
        (TIP, "Write it down on Friday",
         "", "",
         "Every Friday, take five minutes to note what you accomplished that week and any "
         "number attached to it. In a year you will have fifty entries, and your next review "
         "or raise request will nearly write itself."),
     ]),
    (2, 3, "Following up without being a pest",
     "Silence after an application is normal. What you do next is not: this month, how "
     "to follow up so that you are remembered for the right reasons.",
     [
        (FEATURE, "The follow-up calendar",
         "", "",
         "Most applications end in silence, and most candidates accept it. Set a rule "
         "instead: one week after applying, one polite follow-up; one week after an "
         "interview, another. Each message adds something: a short story relevant to the "
         "role, an article the interviewer might find useful, or simply a restatement of "
         "your interest.\n\n"
         "Two follow-ups without a reply is the point to stop and move on, without "
         "resentment. Keep the contact in your network; circumstances change."),
        (TIP, "Follow up by phone once",
         "", "",
         "Email is easy to ignore. One short, friendly phone call after an interview, "
         "asking whether they need anything else from you, often gets an answer that three "
         "emails did not."),
     ]),
]  # fmt: skip

QUEUE = [
    ("Still Searching", "maria.lopez@example.com", True,
     "I have applied to more than sixty jobs since January and I get almost no replies. My "
     "résumé lists all my responsibilities clearly. What am I doing wrong?"),
    ("", "k.ngata@example.net", True,
     "A recruiter called me about a job that pays less than I make now, but the company is "
     "much more stable. Should I even interview? And how do I bring up money without "
     "ending the conversation?"),
    ("Nervous in Loveland", "j.hollis@example.org", False,
     "I have a second interview on Thursday with a panel of four people. I have never done "
     "a panel interview. How do I prepare, and who should I look at when I answer?"),
]  # fmt: skip

SUBSCRIBERS = [
    ("Alicia", "active"), ("Ben", "active"), ("Carmen", "active"), ("Darius", "active"),
    ("Elena", "active"), ("Farah", "active"), ("Gus", "active"), ("Hannah", "active"),
    ("Ivan", "active"), ("Jada", "active"), ("Kenji", "active"), ("Lena", "active"),
    ("Marcus", "active"), ("Nadia", "active"), ("Owen", "active"), ("Paula", "active"),
    ("Quentin", "active"), ("Rosa", "active"), ("Samir", "active"), ("Tessa", "active"),
    ("Uma", "pending"), ("Victor", "pending"), ("Wen", "pending"), ("Xavier", "pending"),
    ("Yara", "unsubscribed"), ("Zeke", "unsubscribed"), ("Abby", "unsubscribed"),
    ("Brock", "bounced"), ("Celia", "bounced"), ("Dmitri", "complained"),
]  # fmt: skip

DOMAINS = ["example.com", "example.net", "example.org"]


def _months(now: dt.datetime) -> list[dt.date]:
    """Six consecutive months ending with the current one (the draft's)."""
    month = now.date().replace(day=1)
    months = [month]
    for _ in range(5):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return list(reversed(months))


def _create_issue(spec: tuple, month: dt.date, *, is_draft: bool) -> Issue:
    volume, number, title, introduction, articles = spec
    sent = dt.datetime.combine(month + dt.timedelta(days=2), dt.time(14), tzinfo=dt.UTC)
    issue = Issue.objects.create(
        volume=volume, number=number, month=month, title=title, introduction=introduction,
        status=Issue.Status.DRAFT if is_draft else Issue.Status.SENT,
        send_started_at=None if is_draft else sent, sent_at=None if is_draft else sent,
        published_at=None if is_draft else sent,
    )  # fmt: skip
    for position, (kind, article_title, question, signed_as, body) in enumerate(articles):
        Article.objects.create(
            issue=issue, kind=kind, position=position, title=article_title,
            slug=slugify(article_title)[:180], question=question, signed_as=signed_as,
            body=body,
        )  # fmt: skip
    return issue


def _link_reader_questions(issue: Issue, index: int) -> None:
    """The demo's first letters came in through Ask Career Tips and were announced."""
    published = issue.published_at or timezone.now()
    for letter in issue.articles.filter(kind=LETTER):
        question = ReaderQuestion.objects.create(
            display_name=letter.signed_as, email=f"reader{index}@example.com",
            question=letter.question, consent_to_publish=True, answer=letter.body,
            status=ReaderQuestion.Status.PUBLISHED, notified_at=published,
            created_at=published - dt.timedelta(days=20),
        )  # fmt: skip
        letter.reader_question = question
        letter.save(update_fields=["reader_question"])


def _seed_subscribers(now: dt.datetime) -> None:
    for index, (name, status) in enumerate(SUBSCRIBERS):
        joined = now - dt.timedelta(days=170 - index * 5)
        suppressed = status in Subscriber.SUPPRESSED
        Subscriber.objects.create(
            email=f"{name.lower()}.reader@{DOMAINS[index % 3]}", name=name, status=status,
            consent_at=joined, consent_ip=f"198.51.100.{10 + index}",
            consent_source="Home page form" if index % 2 else "Newsletter page form",
            confirmed_at=None if status == "pending" else joined + dt.timedelta(minutes=7),
            unsubscribed_at=joined + dt.timedelta(days=40) if status == "unsubscribed" else None,
            suppressed_reason={"unsubscribed": "Unsubscribed (one-click)",
                               "bounced": "Mailbox does not exist (550 5.1.1)",
                               "complained": "Marked as spam"}.get(status, "")
            if suppressed else "",
            created_at=joined,
        )  # fmt: skip


def seed(*, staff: User) -> None:
    """Creates the demo newsletter once; does nothing if any issue exists."""
    if Issue.objects.exists():
        return
    now = timezone.now()
    for index, (spec, month) in enumerate(zip(ISSUES, _months(now), strict=True)):
        issue = _create_issue(spec, month, is_draft=index == len(ISSUES) - 1)
        if index in (0, 3, 4):
            _link_reader_questions(issue, index)
    for days, (display_name, email, consent, question) in enumerate(QUEUE):
        ReaderQuestion.objects.create(
            display_name=display_name, email=email, question=question,
            consent_to_publish=consent, submitted_ip="203.0.113.7",
            created_at=now - dt.timedelta(days=6 - days * 2),
        )  # fmt: skip
    _seed_subscribers(now)
