"""Demo content for the practice's public site: its pages, alliances and client stories."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from careertips.core.models import User
from careertips.pages.models import Alliance, ContactMessage, Page, Testimonial

CAREER_SEARCH = """\
Most searches stall for the same few reasons: a résumé that lists duties instead of results,
interviews walked into unprepared, a network that only hears from you when you need
something, and offers accepted on the spot. Coaching fixes each of them, one at a time.

## What we do together

- **Accomplishment stories.** We dig out five to eight stories from your work, each with a
  number attached: money saved, time cut, customers kept. They become your résumé, your
  cover letters and your interview answers.
- **Targeting.** We pick the employers and roles where your stories matter most, so you
  spend your week on twenty good openings instead of two hundred random ones.
- **Interview preparation.** For each interview we map the job's requirements against your
  stories, find the gaps before the interviewer does, and rehearse how to position them.
- **Networking that works.** Association meetings, former colleagues, even the people who
  interviewed you: we plan who to contact, what to say, and when to follow up.
- **The rejection debrief.** When an employer says no, we prepare the short, gracious call
  to the hiring manager that most candidates never make. It leaves an impression that often
  pays off at the next opening.
- **Negotiation.** Before the offer arrives you will know your number, your walk-away point
  and the words to ask for more.

## How it runs

A first 60-minute session sets your target and your plan. After that we meet every week or
two, by phone or video, for as long as the search lasts. Between sessions you track
everything in your private job-search workspace, so nothing slips.

Most clients land within four months. Many land at a higher salary than their last job.
"""

CAREER_ENHANCEMENT = """\
Getting the job is half the work. The other half is making sure the next raise, the next
promotion and the next move come to you rather than to the colleague who asks louder.

## Keep collecting proof

The habit that wins a search also wins a raise: write down every result while it is fresh.
The report that saved the month-end close two days. The customer you kept. The new hire
you trained who now runs the team. Six months later nobody, including you, remembers the
numbers unless they were written down.

## Prepare the conversation

We help you turn that record into a short, calm case for your manager: what you
delivered, what the role is worth in today's market, and what you are asking for. We
rehearse the objections (“the budget is set”, “let's revisit next year”) so you can answer
them without backing down or getting defensive.

## Stay visible

Raises go to people whose work is seen. We plan how you share results upward, where you
speak or volunteer in your professional association, and which relationships to keep warm
inside and outside the company, so that the next opportunity knows your name.

## When it is time to move

Sometimes the best raise is a new employer. If that day comes, your accomplishment record
and your network are already in place, and the search starts from strength.
"""

ABOUT = """\
Career Tips is the practice of **Margaret Ellison**, a career coach who spent fifteen years
on the other side of the desk as a corporate recruiter and HR director in manufacturing,
health care and financial services.

In those years she interviewed more than four thousand candidates. She saw strong people
lose offers because they could not say what they had achieved, and average candidates win
because they had prepared, followed up and asked good questions. She also noticed how
rarely anyone called back after a rejection to ask what they could do better, and how
often the few who did were hired the next time.

She opened the practice to teach job seekers what hiring managers know: how a decision is
really made, how to show your value in numbers, how to turn a “no” into a relationship, and
how to negotiate the pay your work deserves.

Margaret is a certified career coach, a long-time member of her regional human resources
association, and a regular speaker at professional association meetings and outplacement
programs. She writes the monthly *Career Tips* newsletter and answers its readers'
questions in *Dear Career Tips*.

She works with professionals and managers at every stage: a first search after school, a
return to work, a career change at fifty, and the raise that is long overdue.
"""

PAGES = [
    ("career-search", "Career Search", 1, CAREER_SEARCH,
     "Coaching through every step of a job search, from your first accomplishment story to "
     "the signed offer."),
    ("career-enhancement", "Career Enhancement", 2, CAREER_ENHANCEMENT,
     "Once you have the job: collect the proof, make the case, and earn the raise and the "
     "promotion."),
    ("about", "About", 3, ABOUT,
     "Margaret Ellison: a former recruiter and HR director who now coaches job seekers to "
     "land the job, at the pay they deserve."),
]  # fmt: skip

ALLIANCES = [
    (
        "Northgate Résumé Studio",
        "https://northgate-resume.example.com/",
        "A small studio of writers who turn your accomplishment stories into a résumé and "
        "LinkedIn profile that read well to people *and* to applicant tracking systems. "
        "Career Tips clients arrive with their stories already drafted, which keeps the "
        "work short and the price down.",
    ),
    (
        "Front Range Professional Women's Network",
        "https://frpwn.example.org/",
        "A professional association whose monthly breakfast meetings are among the best "
        "places in the region to meet hiring managers in a relaxed setting. Members run a "
        "mentoring circle for people returning to work after a break.",
    ),
    (
        "Summit Compensation Advisors",
        "https://summit-comp.example.com/",
        "Independent compensation analysts. When an offer includes equity, a bonus plan or a "
        "relocation package, they build a side-by-side comparison so that you negotiate from "
        "facts, not guesses.",
    ),
]

TESTIMONIALS = [
    ("Denise Okafor", "Plant Controller, Pueblo", True,
     "I had been turned down for a controller role I really wanted. Margaret walked me "
     "through calling the plant manager to ask what I could do better. He was surprised, "
     "then generous with his time. Four months later their other plant had an opening and "
     "he called me first. I started in March at eleven percent more than I was making."),
    ("Raymond Castillo", "IT Project Manager, Aurora", True,
     "The accomplishment stories changed everything. I stopped saying I 'managed projects' "
     "and started saying I brought a 14-month ERP rollout in three weeks early and under "
     "budget. Two interviews, two offers."),
    ("Anjali Mehta", "Senior Financial Analyst, Denver", True,
     "I was ready to accept the first number they gave me. We practised the conversation "
     "twice, and I asked for more in a way that felt completely natural. They came back "
     "with $6,000 more and an extra week of vacation."),
    ("Tom Becker", "Warehouse Operations Lead, Greeley", False,
     "After 22 years at one company I had no idea how to look for work. The weekly sessions "
     "kept me moving and the network plan got me in front of people I never would have "
     "met. Thank you for keeping me going."),
]  # fmt: skip


def seed(*, staff: User) -> None:
    """Creates the demo site once; does nothing if pages already exist."""
    if Page.objects.exists():
        return
    for slug, title, order, body, summary in PAGES:
        Page.objects.create(slug=slug, title=title, nav_order=order, body=body, summary=summary)
    for position, (name, url, description) in enumerate(ALLIANCES):
        Alliance.objects.create(name=name, url=url, description=description, position=position)
    now = timezone.now()
    for days, (name, title, approved, body) in enumerate(TESTIMONIALS):
        received = now - dt.timedelta(days=90 - days * 20)
        Testimonial.objects.create(
            author_name=name,
            author_title=title,
            body=body,
            created_at=received,
            approved_at=received + dt.timedelta(days=2) if approved else None,
        )
    ContactMessage.objects.create(
        name="Alan Pierce",
        email="alan.pierce@example.net",
        subject="Coaching for a return to work",
        body="Hello, I have been out of the workforce for two years caring for my father and "
        "would like to get back into purchasing. Do you work with people in my situation? "
        "What does a first session cost?",
        created_at=now - dt.timedelta(hours=20),
    )
