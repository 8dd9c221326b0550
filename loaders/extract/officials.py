"""Officials and the posts they hold: stage two, constructions over a sentence's mentions.

Stage one (:mod:`loaders.extract.mentions`) turns a sentence into PERSON, POST, cue, SEP and WORD
mentions. Here posts are first joined into *groups* and people into *lists*, then each group is
given to its people by the first construction that fits:

- TITLE_LIST     posts joined by "," ";" "và" "kiêm", each after an optional FORMER / NEW cue:
                 "nguyên Phó Bí thư Tỉnh ủy, nguyên Chủ tịch UBND tỉnh"; a bare role shares the body
                 of the next post ("Phó Giám đốc, Giám đốc Sở Tài chính")
- NAME_LIST      "Các ông Lê Văn An, Phạm Minh Bình và bà Đỗ Thị Hoa"
- STACKED        titles right before a name: "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Trần Văn Nam"
- APPOSITION     titles after a name: "ông Lê Minh Hải, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy",
                 "bà Phan Thị Mai (Phó Bí thư Tỉnh ủy)"
- EVENT_FRAME    a post governed by a link or an event: "ông A được bầu làm Phó Bí thư",
                 "bổ nhiệm ông A giữ chức Giám đốc Sở", "ông A từng giữ các chức vụ: ..."; the event
                 says the status (START: starts, END: ends, FORMER: former, BLOCK: no post at all)
- TARGET_FRAME   "miễn nhiệm chức Chủ tịch UBND huyện đối với ông A"
- REPLACEMENT    "... giữ chức Bí thư thay ông B": B leaves the post the subject takes
- RESPECTIVELY   "Ông A và bà B lần lượt giữ chức Chủ tịch UBND tỉnh và Chủ tịch HĐND tỉnh": N people,
                 N titles, paired in order

A role alone ("được bầu giữ chức Phó Bí thư") is the role in the Party committee named last
before it, else the article's own. Officials are identified by name within the article's province;
a person addressed as a comrade is an official even when no post is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ontology import single_holder_role_keys

from ..gazetteer import is_within
from ..lexicon import forms, table
from ..records import BodyRef, Official, PostHolding, Term
from ..text import fold, slug
from .base import RECENT_WINDOW, YEAR, Context, alternation, component
from .bodies import (HEAD_BY_KEY, PARTY_OF, UNIT_OF_TITLE, committee_for, note_body, party_of, state_body_for,
                     unit_of)
from .mentions import LAST, LEAD_WORDS, Mention, clause_mentions, known_names, pronoun_key

# How a cue met before a linked post sets its status.
CUE_STATUS = {"START": "starts", "APPOINT": "starts", "JOIN": "starts", "NEW": "starts", "END": "ends", "DISMISS": "ends",
              "FORMER": "former"}
ACTIVE = {"APPOINT", "DISMISS"}  # events said actively: their subject is the agent, not the holder
PASSIVE = {"được", "bị"}
# What may stand between a person and the post an event frame gives them.
FRAME_FILLER = {"LINK", "START", "APPOINT", "END", "DISMISS", "BLOCK", "FORMER", "NEW", "ADVERB", "WORD", "SEP",
                "OPEN", "CLOSE", "TERM", "CONJ", "JOIN", "EACH"}
FRAME_MAX_WORDS = 10  # at most this many plain words between the person and the frame's post
# a biography runs longer before its list: "Ông X sinh năm 1968, quê xã Y (huyện Z, tỉnh T), từng là ..."
BIO_MAX_WORDS = 24
ASIDE_WORDS = 4  # words of an aside before the titles in the same parentheses ("40 tuổi", "SN 1975")
# Which reading of one post an article keeps: an event beats a mention of a past post beats "holds".
STATUS_WEIGHT = {"holds": 0, "former": 1, "starts": 2, "ends": 2}
YEARS = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")
MOVE_VERBS = {fold(w) for w in ("động", "chuyển", "công")}  # điều động, luân chuyển, phân công
PARTY_KINDS = {"PartyOrganization", "PartyCommittee", "StandingCommittee", "StandingOffice", "PartyDepartment"}
PARTY_ROLES = {"secretary", "deputy-secretary", "standing-deputy-secretary"}
ROLE_BARE = {r["key"]: r["bare"] for r in table("roles") if r["bare"]}  # a role's body by default
SINGLE_HOLDER = single_holder_role_keys()  # roles one person at a time holds in a body (the role scheme)
# PAST_SETTING: words of a time adverbial that close its period or keep it running (lexicon/time_settings.tsv)
UNTIL = alternation(f for r in table("time_settings") if r["kind"] == "until" for f in forms(r["form"]))
ONGOING = alternation(f for r in table("time_settings") if r["kind"] == "ongoing" for f in forms(r["form"]))
PAST_GAP = 2  # an opening year this many years before the article's own is long gone
# CAREER_LIST: in a list of past posts ("từng giữ các chức vụ: ..."), an item we cannot read (a post
# in a body we do not model) of at most this many words is passed over, not the end of the list
SKIP_ITEM_WORDS = 16
SKIP_ITEMS = 3  # at most this many such items in a row


@dataclass
class Held:
    """One post of a title list: role, body (None until the context gives it), status cue."""

    role: str
    body: BodyRef | None
    status: str | None
    start: int
    end: int
    term: Term | None = None
    pending: str | None = None  # "tham gia Ban Thường vụ" alone: the head waiting for its committee
    index: int = -1  # of its POST mention
    aside: bool = False  # the title ends a parenthesised aside: "ông A (Phó Chủ tịch)"


@dataclass
class Group:
    items: list[Held]
    first: int  # index of the first and last mention of the group
    last: int
    cont: bool = False  # continues the group before it (after a ";")


@dataclass
class People:
    names: list[str]
    comrade: list[bool]
    first: int  # index of the first and last PERSON mention
    last: int
    at: list[int] = None  # index of each name's mention

    def one(self, index: int) -> "People":
        k = self.at.index(index)
        return People([self.names[k]], [self.comrade[k]], index, index, [index])


# -- TITLE_LIST and NAME_LIST ------------------------------------------------------
def _groups(ms: list[Mention]) -> list[Group]:
    groups, i = [], 0
    while i < len(ms):
        j, status, career = i, None, False
        if ms[j].kind in ("FORMER", "NEW"):
            status = CUE_STATUS[ms[j].kind]
            career = ms[j].kind == "FORMER"
            j += 1
            if j < len(ms) and ms[j].kind == "SEP" and ms[j].value == ":":
                j += 1
            if career and j < len(ms) and ms[j].kind != "POST":
                j = _past_unread_item(ms, j) or j
        if j >= len(ms) or ms[j].kind != "POST":
            i += 1
            continue
        items, first, last = [], i, j
        while True:
            role, body, *pending = ms[j].value
            items.append(Held(role, body, status, ms[j].start, ms[j].end, pending=pending[0] if pending else None,
                              index=j))
            last = j
            k = j + 1
            if k < len(ms) and ms[k].kind == "TERM":  # "Bí thư Tỉnh ủy khóa 15"
                items[-1].term = _term(ms[k].value)
                last = k
                k += 1
            items[-1].aside = k < len(ms) and ms[k].kind == "CLOSE"
            # joiner: "," ";" "và" "kiêm" (or ", và"), then an optional cue, then the next post
            n = k
            while n < len(ms) and (ms[n].kind == "SEP" and ms[n].value in ",;:" or ms[n].kind == "CONJ") and n - k < 2:
                n += 1
            if n == k:
                break
            semicolon = any(ms[x].kind == "SEP" and ms[x].value == ";" for x in range(k, n))
            if n < len(ms) and ms[n].kind in ("FORMER", "NEW"):
                status = CUE_STATUS[ms[n].kind]
                n += 1
            if career and n < len(ms) and ms[n].kind != "POST":
                n = _past_unread_item(ms, n) or n
            if n < len(ms) and ms[n].kind == "POST":
                if semicolon:
                    items.append(None)  # a ";" splits the list (see below)
                j = n
                continue
            break
        _share_bodies([x for x in items if x is not None])
        groups.extend(_split_at_semicolons(items, first, last))
        i = last + 1
    return groups


def _past_unread_item(ms: list[Mention], n: int) -> int | None:
    """CAREER_LIST: "từng giữ các chức vụ: Kế toán trưởng Ban Quản lý dự án X, Trưởng phòng Tài chính,
    Chủ tịch UBND thị xã Y": past an item naming a post we cannot read, to the next post of the list
    (the index of its POST mention), or None."""
    for _ in range(SKIP_ITEMS):
        words = 0
        while n < len(ms) and words <= SKIP_ITEM_WORDS and (
                ms[n].kind in ("WORD", "OPEN", "CLOSE", "ADVERB") or ms[n].kind == "POST" and ms[n].value[1] is None):
            words += 1
            n += 1
        if not words or n + 1 >= len(ms) or ms[n].kind != "SEP" or ms[n].value not in ",;":
            return None
        n += 1
        if ms[n].kind == "POST":
            return n
    return None


def _split_at_semicolons(items: list, first: int, last: int) -> list[Group]:
    """SEMICOLON_LIST: "A, B; C" is two groups, the second continuing the first (its person and event)
    unless its own construction says otherwise ("X, Ủy viên BTV, Trưởng Ban Tổ chức; Bí thư Thị ủy Y
    Ngô Văn Z": the last title is Z's)."""
    parts: list[list[Held]] = [[]]
    for x in items:
        if x is None:
            parts.append([])
        else:
            parts[-1].append(x)
    if len(parts) == 1:
        return [Group(parts[0], first, last)]
    out = []
    for k, part in enumerate(parts):
        a = first if k == 0 else part[0].index
        b = last if k == len(parts) - 1 else part[-1].index + (1 if part[-1].term else 0)
        out.append(Group(part, a, b, cont=k > 0))
    return out


def _share_bodies(items: list[Held]) -> None:
    """A bare role shares the body of the next post: "Phó Giám đốc, Giám đốc Sở Tài chính" (FITS: a title
    that heads one kind of unit only that kind's)."""
    for i, item in enumerate(items):
        if item.body is None and item.pending is None:
            nxt = next((x for x in items[i + 1:] if x.body is not None), None)
            party = item.role in PARTY_ROLES  # "Phó Bí thư, Phó Chủ tịch UBND tỉnh": not the UBND's
            if nxt is not None and nxt.role != item.role and party == (nxt.body.kind in PARTY_KINDS) \
                    and _fits(item.role, nxt.body):
                item.body = nxt.body


def _fits(role: str, body: BodyRef) -> bool:
    """A title that heads one kind of unit ("Vụ trưởng") shares only a unit of that kind."""
    kind = UNIT_OF_TITLE.get(role)
    return kind is None or body.key.startswith(kind + "-")


def people_lists(ms: list[Mention]) -> list[People]:
    """NAME_LIST: names joined by "," or "và", each perhaps followed by an aside in parentheses
    ("ông A (Phó Chánh Thanh tra), ông B (Đội trưởng) và ông C")."""
    out, i = [], 0
    while i < len(ms):
        if ms[i].kind != "PERSON":
            i += 1
            continue
        names, comrade, at, j = [ms[i].value[0]], [ms[i].value[1]], [i], i
        while True:
            k = _skip_apposition(ms, _skip_aside(ms, j + 1))
            n = k
            while n < len(ms) and (ms[n].kind == "SEP" and ms[n].value == "," or ms[n].kind == "CONJ") and n - k < 2:
                n += 1
            if n > k and n < len(ms) and ms[n].kind == "PERSON":
                names.append(ms[n].value[0])
                comrade.append(ms[n].value[1])
                at.append(n)
                j = n
                continue
            break
        out.append(People(names, comrade, i, j, at))
        i = j + 1
    return out


def _skip_apposition(ms: list[Mention], i: int) -> int:
    """COORDINATED_APPOSITIONS: "ông A, Giám đốc Sở X và ông B, Giám đốc Công an tỉnh làm ủy viên":
    from ``i`` going right, past the titles in apposition to a name when another name follows them."""
    if not (i + 1 < len(ms) and ms[i].kind == "SEP" and ms[i].value in ",–-" and ms[i + 1].kind == "POST"):
        return i
    j = i + 1
    while j < len(ms) and (ms[j].kind in ("POST", "TERM", "FORMER", "NEW")
                           or ms[j].kind in ("SEP", "CONJ") and j + 1 < len(ms) and ms[j + 1].kind == "POST"):
        j += 1
    if j + 1 < len(ms) and (ms[j].kind == "CONJ" or ms[j].kind == "SEP" and ms[j].value == ",") \
            and ms[j + 1].kind == "PERSON":
        return j
    return i


def _skip_aside(ms: list[Mention], i: int) -> int:
    """From ``i`` going right, past one parenthesised aside if ``ms[i]`` opens it."""
    if i < len(ms) and ms[i].kind == "OPEN":
        j = i + 1
        while j < len(ms) and ms[j].kind != "CLOSE":
            if ms[j].kind == "PERSON":
                return i
            j += 1
        return j + 1 if j < len(ms) else i
    return i


def _term(text: str) -> Term | None:
    m = YEARS.search(text)
    return Term(int(m.group(1)), int(m.group(2))) if m else None


# -- attaching groups to people ------------------------------------------------------
def _skip_aside_back(ms: list[Mention], i: int) -> int:
    """From ``i`` going left, skip one parenthesised aside "(60 tuổi)" if ``ms[i]`` closes it."""
    if i >= 0 and ms[i].kind == "CLOSE":
        j = i - 1
        while j >= 0 and ms[j].kind != "OPEN":
            if ms[j].kind in ("POST", "PERSON"):
                return i
            j -= 1
        return j - 1 if j >= 0 else i
    return i


def _apposition_owner(ms, g: Group, by_person: dict[int, People]) -> People | None:
    """APPOSITION: NAME (aside)? SEP|OPEN? TITLES: the one name right before the titles."""
    i = g.first - 1
    seps = 0
    while i >= 0 and ms[i].kind in ("SEP", "OPEN") and seps < 2:
        i -= 1
        seps += 1
    i = _skip_aside_back(ms, i)
    while i >= 0 and ms[i].kind == "SEP" and seps < 3:
        i -= 1
        seps += 1
    j = i  # IN_ASIDE: "ông A (40 tuổi, Phó Giám đốc Sở Ngoại vụ)": a few words, then the titles
    while j >= 0 and ms[j].kind == "WORD" and i - j < ASIDE_WORDS:
        j -= 1
    if j < i and j >= 1 and ms[j].kind == "OPEN" and j - 1 in by_person:
        i = j - 1
    return by_person[i].one(i) if i in by_person else None


def _stacked_owner(ms, g: Group, by_first: dict[int, People], allow_sep: bool) -> People | None:
    """STACKED: TITLES SEP? NAME."""
    i = g.last + 1
    if allow_sep:  # "Chủ tịch UBND tỉnh hiện nay, ông A"
        while i < len(ms) and ms[i].kind == "ADVERB":
            i += 1
        if i < len(ms) and ms[i].kind == "SEP" and ms[i].value in ",–-":
            i += 1
    return by_first.get(i)


def _frame(ms, g: Group, by_last: dict[int, People], by_person: dict[int, People]
           ) -> tuple[People | None, str | None, bool]:
    """EVENT_FRAME: the people before a linked post, and the cue that sets its status.
    Returns (people, status, blocked)."""
    i = g.first - 1 if ms[g.first].kind != "FORMER" else g.first  # "từng giữ các chức vụ: ..."
    while i >= 0 and ms[i].kind == "ADVERB":
        i -= 1
    if i < 0 or ms[i].kind not in ("LINK", "BLOCK") and ms[i].kind not in CUE_STATUS:
        return None, None, False
    cue, words, passive = None, 0, False
    while i >= 0:
        m = ms[i]
        if m.kind == "ADVERB" and m.value.lower() in PASSIVE:
            passive = True
        if m.kind == "PERSON":
            # a biography runs long between its subject and its event ("Ông X sinh năm ..., quê ...,
            # được bầu vào ..."); other frames stay short
            if words > FRAME_MAX_WORDS and not (cue == "FORMER" or _opens_sentence(ms, i)):
                return None, None, False
            if cue in ACTIVE and not passive:  # "X trao quyết định bổ nhiệm Chánh Văn phòng": X appoints
                return None, None, False
            owner = by_last.get(i) or (by_person[i].one(i) if i in by_person else None)
            if owner is None:
                return None, None, False
            if cue is None:  # "bầu ông A giữ chức ...": the event stands before the person
                j = owner.first - 1
                while j >= 0 and ms[j].kind in ("ADVERB", "WORD", "SEP") and owner.first - j <= 4:
                    if ms[j].kind == "WORD" and ms[j].value.lower() not in ("các", "hai", "ba", "cho"):
                        break
                    j -= 1
                if j >= 0 and ms[j].kind in CUE_STATUS or j >= 0 and ms[j].kind == "BLOCK":
                    cue = ms[j].kind
            if cue == "BLOCK":
                return owner, None, True
            return owner, CUE_STATUS.get(cue), False
        if m.kind in CUE_STATUS or m.kind == "BLOCK":
            cue = cue or m.kind
        elif m.kind == "WORD":
            words += 1
            if words > BIO_MAX_WORDS:
                return None, None, False
        elif m.kind not in FRAME_FILLER and m.kind != "POST":
            return None, None, False
        i -= 1
    return None, None, False


def _opens_sentence(ms, i: int) -> bool:
    """The mention at ``i`` is the sentence's subject: only adverbs stand before it."""
    return all(m.kind == "ADVERB" for m in ms[:i])


def _target(ms, g: Group, by_first: dict[int, People]) -> tuple[People | None, str | None]:
    """TARGET_FRAME: EVENT TITLES "đối với" NAME."""
    i = g.last + 1
    if i < len(ms) and ms[i].kind == "TARGET" and i + 1 in by_first:
        j = g.first - 1
        while j >= 0 and ms[j].kind in ("ADVERB", "LINK"):
            j -= 1
        cue = ms[j].kind if j >= 0 else None
        return by_first[i + 1], CUE_STATUS.get(cue)
    return None, None


def _respectively(ms, g: Group, people: int, after: int) -> bool:
    """RESPECTIVELY: N people and N titles pair off in order when the sentence says "lần lượt", or
    when each title is a post one person at a time holds: "Ông A và bà B được bầu giữ chức Chủ tịch
    UBND tỉnh và Chủ tịch HĐND tỉnh"."""
    if len(g.items) != people:
        return False
    if any(m.kind == "EACH" for m in ms[after + 1:g.first]):
        return True
    posts = {(x.role, x.body.label if x.body else None) for x in g.items}
    return len(posts) == people and all(x.role in SINGLE_HOLDER for x in g.items)


def _replaced(ms, g: Group, by_first: dict[int, People]) -> People | None:
    """REPLACEMENT: TITLES ... "thay" NAME, in the same clause."""
    for i in range(g.last + 1, min(len(ms), g.last + 6)):
        if ms[i].kind == "REPLACE" and i + 1 in by_first:
            return by_first[i + 1]
        if ms[i].kind in ("POST", "PERSON"):
            return None
    return None


def _context_body(ctx: Context, role: str, at: int) -> BodyRef | None:
    """A role written alone: the Party committee named last before it, else the article's own."""
    if role not in PARTY_ROLES and role != "member":
        return None
    for start in sorted((s for s in ctx.bodies_at if s < at), reverse=True):
        body = ctx.bodies_at[start][1]
        if body.kind == "PartyCommittee" and body.place is not None and at - start < RECENT_WINDOW:
            return body
    if role == "member":
        return None
    return committee_for(ctx.home) if ctx.home else None


def _state_body_in_focus(ctx: Context, role: str, at: int) -> BodyRef | None:
    """ASIDE_ROLE: a state title alone in an aside, "ông Đặng Văn A (Phó Chủ tịch)", is held in the
    state body it names by default (``bare`` in ``lexicon/roles.tsv``) of the locality in focus."""
    key = ROLE_BARE.get(role)
    if key not in HEAD_BY_KEY:
        return None
    place = next(ctx.recent_places(at), None) or ctx.home
    if place is not None and ctx.home is not None and ctx.home != place and is_within(ctx.home, place):
        place = ctx.home  # the article's own commune, inside the district named last
    return state_body_for(key, place)


# -- recording -----------------------------------------------------------------------
def _elected_term(ctx: Context) -> Term | None:
    """The term of the congress the article reports on (for posts won by election)."""
    if ctx.home is None:
        return None
    own = [c for c in ctx.facts.congresses if c.organization.place == ctx.home and c.term]
    return max(own, key=lambda c: c.ordinal).term if own else None


def _path(body: BodyRef) -> tuple[str, ...]:
    return body.place.path() if body.place is not None else ()


def past_setting(ctx: Context, ms: list[Mention], sentence_start: int) -> bool:
    """PAST_SETTING: a sentence opening on a time long gone tells a career, and its posts are former:
    "Từ năm 1997, ông là Thành ủy viên", "Tháng 8/2007, ông được bổ nhiệm ...", "Từ năm 2011 đến
    tháng 2/2016, ông làm Bộ trưởng" (a closed period). Not "Từ năm 2016 đến nay"."""
    first = next((m.start for m in ms if m.kind in ("PERSON", "POST")), None)
    ref = ctx.reference_year
    if first is None or ref is None:
        return False
    lead = ctx.folded[sentence_start:first].split(",")[0]  # the opening adverbial, up to its comma
    if len(lead.split()) > LEAD_WORDS or ONGOING.search(lead):
        return False
    until = UNTIL.search(lead)
    if until:  # "Từ năm 2011 đến tháng 2/2016": a closed period, over when it ended by the article's year
        ends = [int(m.group(1)) for m in YEAR.finditer(lead, until.end())]
        return bool(ends) and max(ends) <= ref
    spans = [int(m.group(2)) for m in YEARS.finditer(lead)]  # "Giai đoạn 2006-2011": by its end
    years = [int(m.group(1)) for m in YEAR.finditer(lead)] if not spans else spans
    return bool(years) and max(years) <= ref - (PAST_GAP if not spans else 1)


def _record(ctx: Context, names: list[str], g: Group, status: str | None, evidence, past: bool = False) -> None:
    for name in names:
        official = Official(name, ctx.province)
        ctx.facts.add("officials", official)
        for item in g.items:
            if item.pending == "unread":
                continue
            body = item.body or (None if item.pending else _context_body(ctx, item.role, item.start)
                                 or (_state_body_in_focus(ctx, item.role, item.start) if item.aside else None))
            if body is None:
                continue
            note_body(ctx, item.start, item.end, body) if body.place or body.parent else ctx.facts.add("bodies", body)
            st = "former" if past else item.status or status or "holds"
            term = item.term or (_elected_term(ctx) if st == "starts" else None)
            reading = PostHolding(official, item.role, body, evidence, term, st)
            same = [i for i, p in enumerate(ctx.facts.posts)  # one IRI: same name, role, body key and place
                    if slug(p.official.name) == slug(official.name) and p.role == item.role
                    and p.body.key == body.key and _path(p.body) == _path(body)]
            if not same:  # one reading per (official, role, body) ...
                ctx.facts.add("posts", reading)
            elif STATUS_WEIGHT[st] > STATUS_WEIGHT[ctx.facts.posts[same[0]].status]:
                ctx.facts.posts[same[0]] = reading  # ... the one that says most of what happened


def _committee_of(body: BodyRef | None) -> BodyRef | None:
    while body is not None and body.kind != "PartyCommittee":
        body = body.parent
    return body


def _resolve_memberships(ctx: Context, ms: list[Mention], groups: list[Group]) -> None:
    """"tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Phó Bí thư Thị ủy X": the committee of the
    next post named in the sentence, else the committee in focus."""
    for g in groups:
        for item in g.items:
            if item.pending is None or item.pending == "unread":
                continue
            later = [m.value[1] for m in ms if m.kind == "POST" and m.start > item.start and m.value[1] is not None]
            if item.pending in PARTY_OF:  # "Bí thư Đảng ủy, Giám đốc Sở Xây dựng" ("Giám đốc sở, bí thư Đảng ủy")
                earlier = [m.value[1] for m in reversed(ms) if m.kind == "POST" and m.start < item.start
                           and m.value[1] is not None]
                person = next((m.start for m in ms if m.kind == "PERSON" and m.start > item.start), len(ctx.text))
                own = [m.value[1] for m in ms if m.kind == "POST" and item.start < m.start < person
                       and m.value[1] is not None]  # not the next person's titles
                body = next((b for b in own + earlier if b.kind == "StateBody"), None)
                item.body = party_of(item.pending, body) if body is not None else None
                continue
            committee = next((c for c in map(_committee_of, later) if c is not None), None)
            committee = committee or _context_body(ctx, "secretary", item.start)
            if committee is not None:
                item.body = committee if item.pending == "ban-chap-hanh" else unit_of(HEAD_BY_KEY[item.pending], committee)


def _transfers(ctx: Context, ms: list[Mention], read, evidence) -> None:
    """TRANSFER: a person's titles in apposition end when the sentence gives them a new post in the
    same state body ("Phó Giám đốc Sở Du lịch ... giữ chức Giám đốc Sở Du lịch"), another department,
    or moves them ("được điều động", "được phân công"): "ông A - Phó Giám đốc Sở Nội vụ - được bổ
    nhiệm làm Giám đốc Sở Tư pháp"."""
    moved = any(m.kind in ("START", "APPOINT") and fold(m.value).split()[-1] in MOVE_VERBS for m in ms)
    for name, g, status in read:
        new = [x for n, h, st in read if n == name and st == "starts" for x in h.items if x.body is not None]
        if not new or status is not None:
            continue
        for item in g.items:
            if item.status is not None or item.body is None:
                continue
            if item.role == "member" and item.body.place is None:  # a Central Committee seat goes along
                continue
            if moved or any(_same_line(item.body, x.body) for x in new):
                _record(ctx, [name], Group([item], g.first, g.last), "ends", evidence)


def _same_line(old: BodyRef, new: BodyRef) -> bool:
    """A new post that ends the old: the same state body (promotion) or another department."""
    if old.kind != "StateBody" or new.kind != "StateBody":
        return False
    return old.label == new.label or old.key.startswith("so-") and new.key.startswith("so-")


def read_sentence(ctx: Context, ms: list[Mention], evidence) -> None:
    past = past_setting(ctx, ms, evidence.start)
    groups = _groups(ms)
    _resolve_memberships(ctx, ms, groups)
    people = people_lists(ms)
    by_first = {p.first: p for p in people}
    by_last = {p.last: p for p in people}
    by_person = {i: p for p in people for i in p.at}
    owned: set[int] = set()
    previous: tuple[People | None, str | None] = (None, None)
    read: list[tuple[str, Group, str | None]] = []  # (name, group, status) as attached
    for g in groups:
        owner, status = None, None
        stacked = _stacked_owner(ms, g, by_first, allow_sep=False)
        target, t_status = _target(ms, g, by_first)
        if target is not None:
            owner, status = target, t_status
        elif g.cont and stacked is None:  # SEMICOLON_LIST: the person and event of the list so far
            owner, status = previous
        elif stacked is not None:
            owner = stacked
            if g.first > 0 and ms[g.first - 1].kind == "START":  # "tái đắc cử Bí thư Tỉnh ủy X Trần B"
                status = "starts"
        else:
            owner = _apposition_owner(ms, g, by_person)
            if owner is None:
                owner, status, blocked = _frame(ms, g, by_last, by_person)
                if blocked:
                    continue
            if owner is None:
                owner = _stacked_owner(ms, g, by_first, allow_sep=True)
        previous = (owner, status)
        if owner is None:
            continue
        names = owner.names if len(owner.names) == 1 or g.first > owner.last else owner.names[:1]
        if len(names) > 1 and _respectively(ms, g, len(names), owner.last):
            for name, item in zip(names, g.items):
                one = Group([item], g.first, g.last)
                _record(ctx, [name], one, status, evidence, past)
                read.append((name, one, status))
        else:
            _record(ctx, names, g, status, evidence, past)
            read.extend((name, g, status) for name in names)
        owned.update(range(owner.first, owner.last + 1))
        replaced = _replaced(ms, g, by_first)
        if replaced is not None and (status == "starts" or all(x.status == "starts" for x in g.items)):
            _record(ctx, replaced.names, g, "ends", evidence, past)
            for item in g.items:
                item.status = None
    _transfers(ctx, ms, read, evidence)
    for p in people:  # COMRADE: "Đồng chí Ngô Tiến Dũng thăm ..." is an official
        for name, comrade in zip(p.names, p.comrade):
            if comrade:
                ctx.facts.add("officials", Official(name, ctx.province))


@component("officials")
def officials(ctx: Context) -> None:
    names = known_names(ctx)
    k = 0
    known: dict[str, str] = {}
    for s in ctx.article.sentences:
        while k < len(names) and names[k][0] < s.end:  # names of this sentence: short forms, not pronouns
            known[fold(names[k][1].split()[-1])] = names[k][1]
            k += 1
        ms = clause_mentions(ctx, s.start, s.end, known)
        ctx.mentions[s.start] = ms
        for m in ms:  # what a pronoun opening a later sentence refers to: the person named last
            if m.kind == "PERSON":
                known[LAST] = known[LAST + pronoun_key(ctx, m.start)] = m.value[0]
        if any(m.kind == "POST" for m in ms) or any(m.kind == "PERSON" for m in ms):
            read_sentence(ctx, ms, ctx.evidence(s.start))
