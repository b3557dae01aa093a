"""The team register: ``team.json`` in the team folder, kept by whoever runs the portal.

It lists the service's experts with their public keys, and its themes with their leads,
deputies, members, four-eyes rule and review interval. It is the root of trust: a team
file counts only when signed by a key listed here, and a decision only when that key's
person leads (or deputises for) the resource's theme here. Curator reads it, shows how
the library's own experts and themes differ, and adopts it on request; the register's
keeper adds people from their join requests (:func:`admit`) and names leads
(:func:`set_lead`).

The keeper signs the register (``signed``: their public key and a signature over the
rest, in the canonical form team files use), and only the keeper's key may change it.
Each library remembers the key that signed the register it first read and from then on
takes nothing from a register that is unsigned, altered after signing or signed by
another key (everyone in the service can write to the team folder: without this, anyone
could name themselves a lead). A new keeper is trusted only when a person says so
(:func:`trust_keeper`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from curator.base.atomic import write_text_atomic
from curator.base.errors import CuratorError
from curator.team import keys, sealed

REGISTER_FILE = "team.json"
FORMAT = "curator-team-register"
VERSION = 1
MAX_REGISTER_BYTES = 4 * 1024 * 1024
#: The library keeps the register it read last, for when the team folder is out of reach.
CACHE_SETTING = "team.register"
#: The key of the register's keeper, remembered from the first signed register read.
KEEPER_SETTING = "team.register.keeper"


@dataclass
class Person:
    name: str
    key: str
    #: A library the register marks as shared may be used by more than one person.
    shared_library: bool = False


@dataclass
class TeamTheme:
    code: str
    name: str
    leads: list[str] = field(default_factory=list)
    deputies: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    four_eyes: bool = True
    review_months: int | None = None

    def approvers(self) -> list[str]:
        """Who may decide on this theme's submissions: its leads, then its deputies."""
        return [*self.leads, *self.deputies]


@dataclass
class Register:
    service: str = ""
    people: list[Person] = field(default_factory=list)
    themes: dict[str, TeamTheme] = field(default_factory=dict)
    #: The public key that signed this register (None: not signed).
    keeper: str | None = None
    signature: str | None = None

    def keeper_words(self) -> str:
        """The keeper as people read it: their name if the register lists their key."""
        return self.keeper_words_for(self.keeper)

    def keeper_words_for(self, key: str | None) -> str:
        if not key:
            return "no one (it is not signed)"
        person = self.by_key(key)
        return f"{person.name} (key {keys.key_id(key)})" if person else \
            f"the key {keys.key_id(key)}"

    def by_key(self, key: str) -> Person | None:
        return next((p for p in self.people if p.key == key), None)

    def by_name(self, name: str) -> Person | None:
        wanted = " ".join((name or "").split()).casefold()
        return next((p for p in self.people if p.name.casefold() == wanted), None)

    def theme(self, code: str) -> TeamTheme | None:
        return self.themes.get((code or "").strip().upper())

    def approver_keys(self, codes) -> list[str]:
        """The keys of everyone who may decide on a resource with these themes."""
        out: list[str] = []
        for code in codes:
            theme = self.theme(code)
            for name in theme.approvers() if theme else ():
                person = self.by_name(name)
                if person and person.key not in out:
                    out.append(person.key)
        return out

    def may_decide(self, key: str, codes) -> bool:
        return key in self.approver_keys(codes)

    def four_eyes(self, codes) -> bool:
        return any(t.four_eyes for t in (self.theme(c) for c in codes) if t)

    def to_data(self) -> dict:
        """What is signed: everything but the signature."""
        return {"format": FORMAT, "version": VERSION, "service": self.service,
                "experts": [asdict(p) for p in self.people],
                "themes": [asdict(t) for t in sorted(self.themes.values(),
                                                     key=lambda t: t.code)]}

    def sign(self, key: keys.SigningKey) -> None:
        self.keeper = key.public
        self.signature = key.sign(sealed.canonical(self.to_data()))

    def to_json(self) -> str:
        data = self.to_data()
        if self.keeper and self.signature:
            data["signed"] = {"by": self.keeper, "signature": self.signature}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def path_in(folder: Path) -> Path:
    return Path(folder) / REGISTER_FILE


def load(folder: Path) -> Register:
    """The register in the team folder; a CuratorError says plainly why it cannot be used."""
    path = path_in(folder)
    if not path.is_file() or path.is_symlink():
        raise CuratorError(f"There is no team register ({REGISTER_FILE}) in {folder} yet. "
                           "Ask the person who runs the portal to set it up.")
    if path.stat().st_size > MAX_REGISTER_BYTES:
        raise CuratorError(f"The team register {path} is far too large to be one.")
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CuratorError(f"The team register {path} cannot be read: {exc}. Ask the person "
                           "who keeps it to check it.") from None


def load_for(store, remember: bool = False) -> Register:
    """The register of the library's team folder; when the folder cannot be reached, the
    copy read last time (so work goes on offline). With *remember*, keep this copy."""
    from curator.storage import settings
    from curator.team import folder as team_folder
    folder = team_folder.require_folder(store)
    if not team_folder.reachable(folder):
        cached = settings.get(store, CACHE_SETTING)
        if cached:
            return parse(cached)
    reg = load(folder)
    _check_keeper(store, folder, reg)
    if remember and not store.read_only:
        text = reg.to_json()
        if settings.get(store, CACHE_SETTING) != text:
            settings.put(store, CACHE_SETTING, text)
    return reg


def _check_keeper(store, folder: Path, reg: Register) -> None:
    """Refuse a register not signed by the keeper this library trusts (remembering the
    first keeper it sees)."""
    from curator.storage import settings
    trusted = settings.get(store, KEEPER_SETTING)
    if not trusted:
        if reg.keeper and not store.read_only:
            settings.put(store, KEEPER_SETTING, reg.keeper)
        return
    if reg.keeper == trusted:
        return
    who = f"key {keys.key_id(trusted)}"
    named = reg.by_key(trusted)
    if named:
        who = f"{named.name}, {who}"
    if reg.keeper is None:
        raise CuratorError(f"The team register in {folder} is no longer signed by its keeper "
                           f"({who}): someone may have changed it. Curator takes nothing "
                           f"from it until its keeper checks it and signs it again (curator "
                           f"team sign).")
    raise CuratorError(f"The team register in {folder} is signed by another key "
                       f"({keys.key_id(reg.keeper)}) than its keeper's ({who}). Curator takes "
                       f"nothing from it. If the register has a new keeper, check with them "
                       f"(by phone or in person), then run: curator team trust-keeper")


def trust_keeper(store) -> Register:
    """Trust the key that signed the team folder's register now as its keeper (after a
    person has checked that the register really has a new keeper)."""
    from curator.storage import settings
    from curator.team import folder as team_folder
    reg = load(team_folder.require_folder(store))
    if not reg.keeper:
        raise CuratorError("The team register is not signed, so there is no keeper to trust. "
                           "Ask the person who keeps it to run: curator team sign")
    settings.put(store, KEEPER_SETTING, reg.keeper)
    return reg


def load_or_new(folder: Path) -> Register:
    return load(folder) if path_in(folder).exists() else Register()


def parse(text: str) -> Register:
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("it is not a Curator team register")
    if data.get("version") != VERSION:
        raise ValueError("it was written by a newer Curator")
    signed = data.pop("signed", None)
    reg = Register(service=str(data.get("service") or ""))
    if signed is not None:
        by = str((signed or {}).get("by") or "") if isinstance(signed, dict) else ""
        signature = str(signed.get("signature") or "") if isinstance(signed, dict) else ""
        if not keys.verify(by, sealed.canonical(data), signature):
            raise ValueError("it was changed after its keeper signed it (the signature does "
                             "not match)")
        reg.keeper, reg.signature = by, signature
    for item in data.get("experts") or []:
        name = " ".join(str(item.get("name") or "").split())
        key = str(item.get("key") or "")
        if not name or len(name) > 200:
            raise ValueError("an expert has no name (or one too long)")
        if keys.public_key(key) is None:
            raise ValueError(f"{name}'s key is not an Ed25519 public key")
        if reg.by_name(name) or reg.by_key(key):
            raise ValueError(f"{name} (or their key) is listed twice")
        reg.people.append(Person(name, key, bool(item.get("shared_library", False))))
    for item in data.get("themes") or []:
        code = str(item.get("code") or "").strip().upper()
        if not code or len(code) > 20:
            raise ValueError("a theme has no code")
        months = item.get("review_months")
        theme = TeamTheme(code=code, name=str(item.get("name") or code),
                          leads=_names(item.get("leads")), deputies=_names(item.get("deputies")),
                          members=_names(item.get("members")),
                          four_eyes=bool(item.get("four_eyes", True)),
                          review_months=int(months) if months else None)
        for name in theme.approvers():
            if reg.by_name(name) is None:
                raise ValueError(f"{name}, named for {code}, is not among its experts")
        reg.themes[code] = theme
    return reg


def _names(value) -> list[str]:
    return [" ".join(str(v).split()) for v in (value or []) if str(v).strip()]


def save(folder: Path, reg: Register, key: keys.SigningKey | None = None) -> Path:
    """Sign *reg* with the keeper's key (default: the signing key) and write it. Only the
    key that signed the register in the folder may change it."""
    key = key or keys.load()
    path = path_in(folder)
    if path.exists():
        current = load(folder)
        if current.keeper and current.keeper != key.public:
            raise CuratorError(f"The team register is kept by {current.keeper_words()}: only "
                               "its keeper can change it. Ask them.")
    reg.sign(key)
    write_text_atomic(path, reg.to_json())
    return path


def sign(folder: Path) -> Register:
    """For the keeper: sign the register as it is (after editing team.json by hand, or to
    sign one written before registers were signed)."""
    path = path_in(folder)
    if not path.is_file():
        raise CuratorError(f"There is no team register in {folder} to sign.")
    key = keys.load()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        signed = data.pop("signed", None) if isinstance(data, dict) else None
        reg = parse(json.dumps(data))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CuratorError(f"The team register {path} cannot be read: {exc}.") from None
    before = signed.get("by") if isinstance(signed, dict) else None
    if before and before != key.public:
        raise CuratorError(f"The team register was signed by {reg.keeper_words_for(before)}: "
                           "only its keeper can sign it again.")
    reg.sign(key)
    write_text_atomic(path, reg.to_json())
    return reg


def admit(folder: Path, request, shared: bool = False) -> Person:
    """Add the person of a checked join request (a :class:`~curator.team.sealed.Sealed`);
    with *shared*, mark their library as one others may use with their own keys."""
    reg = load_or_new(folder)
    name = " ".join(str(request.body["from"]["name"]).split())
    key = request.signer_key
    known = reg.by_key(key)
    if known:
        raise CuratorError(f"That key is already in the register, for {known.name}.")
    if reg.by_name(name):
        raise CuratorError(f"{name} is already in the register with another key. If they "
                           "lost their key, take the old entry out of team.json first.")
    person = Person(name, key, shared)
    reg.people.append(person)
    save(folder, reg)
    return person


def set_lead(folder: Path, code: str, name: str, *, theme_name: str = "",
             four_eyes: bool = True, review_months: int | None = None,
             role: str = "lead") -> TeamTheme:
    """Name *name* (who must be in the register) a lead, or with *role* "deputy" a
    deputy, of *code*, adding the theme. A person holds one role on a theme."""
    if role not in ("lead", "deputy"):
        raise CuratorError("In the team register a theme names leads and deputies.")
    reg = load_or_new(folder)
    person = reg.by_name(name)
    if person is None:
        raise CuratorError(f"{name} is not in the team register yet: admit their join "
                           "request first (curator team admit REQUEST).")
    code = code.strip().upper()
    theme = reg.theme(code)
    if theme is None:
        theme = TeamTheme(code=code, name=theme_name or code, four_eyes=four_eyes,
                          review_months=review_months)
        reg.themes[code] = theme
    key = person.name.casefold()
    if role == "deputy" and [n.casefold() for n in theme.leads] == [key]:
        raise CuratorError(f"{person.name} is the only lead of {code}: name another lead "
                           "first, then make them a deputy.")
    keep = [n for n in (theme.leads if role == "lead" else theme.deputies)
            if n.casefold() != key]
    theme.leads = [n for n in theme.leads if n.casefold() != key]
    theme.deputies = [n for n in theme.deputies if n.casefold() != key]
    theme.members = [m for m in theme.members if m.casefold() != key]
    if role == "lead":
        theme.leads = [*keep, person.name]
    else:
        theme.deputies = [*keep, person.name]
    save(folder, reg)
    return theme
