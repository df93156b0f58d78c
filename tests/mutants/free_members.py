"""The member-level mutants the suite may let through, each with the reason the sources leave it free.

This list is reviewed against docs/decisions.md, docs/sources.md and docs/xsd.md, never taken from
what happened to survive: a member mutant that is not here must be killed by the suite
(tests/mutants/test_mutants.py), and one that is here is not run (it is listed as free in the kill
matrix). `tests/mutants/test_member_mutants.py` fails on an entry that names no generated mutant.
"""
from __future__ import annotations

_OPTIONAL_WARNING = ("optional in the model (F40, F41) and in xsd/ (minOccurs 0); no source says when a warning "
                     "is sent or what it says (F35 only saw one for manifestVersion 1.x), so its presence and "
                     "wording are the server's")
_LABEL_WARNING = ("optional in the model (F45) and in xsd/; no source says when GetShippingLabel warns or in "
                  "what words")
_ARTIFACTS = ("ArtifactList is optional in the model (F40, F41, F43) and in xsd/; no source says when it is "
              "sent (the live responses recorded none, F74), so leaving it out or sending it empty is legal")
_ARTIFACT_MEMBER = ("Artifact/Description and Artifact/URL are optional free text in the model (issue 8 finding "
                    "13, docs/xsd.md), and no source says what they hold; the reference mock sends no "
                    "ArtifactList, so this mutant has nothing to change either")
_SIGNATURE_TEXT = ("Signature is an HMAC the server computes with its own secret over data the suite does not "
                   "see; any base64 text is a legal value, so its letter case cannot be judged")
_REQUEST_ID_CASE = "decision W17: a RequestId is a UUID of any version in lower- or upper-case hex"


def _each(prefix: str, perturbations: tuple, reason: str) -> dict:
    return {f"{prefix}.{perturbation}": reason for perturbation in perturbations}


FREE_MEMBER_MUTANTS: dict = {
    **_each("member.CreateJobResult.WarningMessage", ("empty", "wrong_case", "dropped"), _OPTIONAL_WARNING),
    **_each("member.UpdateJobResult.WarningMessage", ("empty", "wrong_case", "dropped"), _OPTIONAL_WARNING),
    **_each("member.GetShippingLabelResult.Warning", ("empty", "wrong_case", "dropped"), _LABEL_WARNING),
    **_each("member.CreateJobResult.ArtifactList", ("empty", "dropped"), _ARTIFACTS),
    **_each("member.UpdateJobResult.ArtifactList", ("empty", "dropped"), _ARTIFACTS),
    **_each("member.GetStatusResult.ArtifactList", ("empty", "dropped"), _ARTIFACTS),
    **_each("member.Artifact.Description", ("empty", "wrong_case", "dropped"), _ARTIFACT_MEMBER),
    **_each("member.Artifact.URL", ("empty", "wrong_case", "dropped"), _ARTIFACT_MEMBER),
    "member.CreateJobResult.Signature.wrong_case": _SIGNATURE_TEXT,
    "member.GetStatusResult.Signature.wrong_case": _SIGNATURE_TEXT,
    "member.ErrorResponse.RequestId.wrong_case": _REQUEST_ID_CASE,
}


def free_reason(name: str):
    """Why the member mutant `name` may survive, or None when it must be killed."""
    return FREE_MEMBER_MUTANTS.get(name)
