"""Facade methods: The team folder: signed submissions, decisions and releases between laptops (issue 19).

Mixed into :class:`curator.library.Library`. Like the rest of the facade these methods
hold no rules: each calls the domain module that owns the rule (:mod:`curator.team`).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from curator.base import lazy
from curator.base.background import CancelFn
from curator.base.errors import (
    CuratorError,
    PassphraseNeeded,  # noqa: F401 (the app catches it)
)

# The team folder's modules (signing keys, releases, sync) load when first used: a library
# opens and shows its list without them (issue 21).
adopting = lazy.module("curator.team.adopting")
decisions = lazy.module("curator.team.decisions")
identity = lazy.module("curator.team.identity")
joining = lazy.module("curator.team.joining")
keys = lazy.module("curator.team.keys")
person_keys = lazy.module("curator.team.person_keys")
register = lazy.module("curator.team.register")
releases = lazy.module("curator.team.releases")
team_folder = lazy.module("curator.team.folder")
team_story = lazy.module("curator.team.story")
team_sync = lazy.module("curator.team.sync")


class TeamServices:
    """The team folder."""

    #: What the last automatic send after a step said (the app's status bar shows it).
    team_note: str = ""

    def team_folder(self) -> Path | None:
        return team_folder.team_folder(self.store)

    def set_team_folder(self, path: str | Path) -> Path:
        """Use this team folder from now on (the register, submissions and decisions)."""
        return team_folder.set_folder(self.store, path)

    def team_register(self) -> register.Register:
        """The team folder's register, refused unless its keeper signed it (once this
        library has seen a signed one)."""
        return register.load_for(self.store)

    def team_sign_register(self) -> register.Register:
        """For the register's keeper: sign team.json as it is (after editing it by hand)."""
        reg = register.sign(team_folder.require_folder(self.store))
        register.trust_keeper(self.store)
        return reg

    def team_trust_keeper(self) -> register.Register:
        """Trust the register's new keeper (after checking with them in person)."""
        return register.trust_keeper(self.store)

    def team_key(self) -> keys.SigningKey:
        """This person's signing key, made the first time (kept in their config folder)."""
        return keys.load()

    def switch_expert(self, name: str, passphrase: str | None = None):
        """Work as *name* from now on. In a team, a library has one owner; in one the
        register marks as shared, someone else works with their own key, opened with
        their passphrase (raises person_keys.PassphraseNeeded when it is missing)."""
        who, key = identity.switch_to(self.store, name, passphrase)
        if key is not None and who.casefold() not in {e.name.casefold()
                                                      for e in self.experts()}:
            self.add_expert(who)  # in the register, not yet in this library
        before = keys.session()
        keys.use_for_session(key)  # first: whoever reads "acting" signs with their key
        try:
            return self.act_as(who)
        except CuratorError:
            keys.use_for_session(before)
            raise

    def sign_as_owner(self) -> None:
        """Sign with this computer's own key again (after someone else's session)."""
        keys.use_for_session(None)

    def switch_needs_passphrase(self, name: str) -> bool:
        """Whether working as *name* here needs their passphrase (a shared library's
        person other than its owner)."""
        _, person = identity.owner(self.store)
        return bool(person and person.shared_library
                    and " ".join(name.split()).casefold() != person.name.casefold())

    def team_make_key(self, name: str, passphrase: str, to: str | Path | None = None):
        """In a shared library: make *name* a key locked with *passphrase* and write their
        join request with it; returns (path, key id)."""
        if not self.switch_needs_passphrase(name):
            raise CuratorError("Only a shared library keeps keys for other people; here "
                               "each person joins from their own library.")
        key = person_keys.make(name, passphrase)
        folder = None if to else team_folder.require_folder(self.store)
        return joining.write_request(folder, name, Path(to) if to else None, key=key)

    def team_join(self, name: str | None = None, to: str | Path | None = None):
        """Write a join request with this person's public key; returns (path, key id)."""
        who = name or self.actor.name
        folder = None if to else team_folder.require_folder(self.store)
        return joining.write_request(folder, who, Path(to) if to else None)

    def team_admit(self, request: str | Path, shared: bool = False) -> register.Person:
        """For the register's keeper: add the person of a join request to team.json (with
        *shared*, their library may be used by others, each with their own key)."""
        return joining.admit(team_folder.require_folder(self.store), Path(request), shared)

    def team_set_lead(self, theme: str, name: str, role: str = "lead") -> register.TeamTheme:
        """For the register's keeper: name a lead (or a deputy) of a theme in team.json."""
        folder = team_folder.require_folder(self.store)
        extra = {}
        with contextlib.suppress(CuratorError):
            here = self.theme(theme)
            extra = {"theme_name": here.name, "four_eyes": here.four_eyes,
                     "review_months": here.review_months}
        return register.set_lead(folder, theme, name, role=role, **extra)

    def team_differences(self) -> list[str]:
        """How this library's experts and themes differ from the register, in words."""
        return [d.text for d in adopting.differences(self.store, self.team_register())]

    def team_adopt(self) -> list[str]:
        """Make this library's experts, themes and leads agree with the register."""
        done = adopting.adopt(self.store, self.team_register(), self.acting)
        self.process_index_queue()
        return done

    def team_sync(self, cancel: CancelFn = None) -> team_sync.SyncReport:
        """Send what waits and take in what is new in the team folder (safe to repeat)."""
        report = team_sync.run(self.store, self.acting, cancel)
        self.process_index_queue()
        return report

    def team_status(self) -> dict:
        return team_sync.status(self.store, self.acting)

    def team_awaiting(self) -> list[dict]:
        """Submissions from others waiting for this lead: who sent what, and when."""
        return team_sync.awaiting(self.store)

    def team_sent(self) -> list[dict]:
        return team_sync.sent(self.store)

    def team_about(self, resource_id: str) -> dict:
        """What was sent and decided about this resource through the team folder (for the
        details pane): {"sent": [...], "received": [...]}, latest first."""
        return team_story.about(self.store, self.get(resource_id).id)

    def team_words(self, resource_id: str) -> str:
        """The resource's latest in the team folder, in a line ("" when none)."""
        return team_story.about_words(self.store, self.get(resource_id).id)

    def team_release(self, theme_codes: list[str], to: str | Path | None = None,
                     override_reason: str | None = None):
        """Export a bundle and sign it as a release; returns (BundleInfo, signature path)."""
        from curator.catalogue import themes
        reg = register.load_for(self.store)
        key = keys.load()
        me = identity.me(reg, key, self.actor)
        releases.check_ready(self.store, reg, key, me,
                             themes.resolve_codes(self.store, theme_codes))
        info = self.export_bundle(theme_codes, to=to, override_reason=override_reason)
        return info, releases.sign(self.store, reg, key, me, info.path)

    def team_verify(self, bundle: str | Path, register_file: str | Path | None = None):
        """Check a signed release against the register (team.json given, or the folder's)."""
        if register_file:
            return verify_release(bundle, register_file)
        return releases.verify(Path(bundle), self.team_register())

    # -- called by the workflow step (library/__init__.py) --------------------------------
    def _team_step(self, db, res, action: str, reason: str) -> None:
        """Inside an approve or send-back: for a resource from the team folder, check it
        against keys and queue the signed decision (raising undoes the step)."""
        if team_folder.team_folder(self.store) is not None:
            decisions.on_step(db, self.store, self.actor, res, action, reason)

    def _team_after(self, action: str) -> None:
        """After a submit, approve or send-back: send what waits, if the folder is there.
        Never fails the step: what cannot go now waits for the next sync."""
        if self.team_folder() is None or action not in ("submit", "approve", "send_back"):
            return
        try:
            report = team_sync.run(self.store, self.acting, receive=False)
            self.team_note = " ".join(report.lines())
        except CuratorError as exc:
            self.team_note = exc.message


def verify_release(bundle: str | Path, register_file: str | Path):
    """Check a release with a register file alone (the portal team has no library)."""
    path = Path(register_file)
    try:
        reg = register.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CuratorError(f"The team register {path} cannot be read: {exc}.") from None
    return releases.verify(Path(bundle), reg)


def local_time(moment: str) -> str:
    """A stored UTC moment as a person reads it, in this computer's time ("2 Dec 14:05")."""
    return identity.shown(moment)
