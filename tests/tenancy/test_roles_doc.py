"""docs/roles.md and ROLE_PERMISSIONS must say the same thing."""

from pathlib import Path

from jobcenter.tenancy.roles import ROLE_PERMISSIONS, SPANNING_ROLES, Permission, Role

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def documented_matrix() -> dict[str, dict[str, bool]]:
    lines = [line for line in ROLES_DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    roles = header[2:]
    matrix = {}
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] not in {p.value for p in Permission}:
            continue
        matrix[cells[0]] = dict(zip(roles, [cell == "yes" for cell in cells[2:]], strict=True))
    return matrix


def test_the_roles_document_states_every_permission_of_every_role_as_the_code_enforces_it():
    matrix = documented_matrix()
    assert set(matrix) == {p.value for p in Permission}
    for permission in Permission:
        for role in Role:
            assert matrix[permission.value][role.value] == (permission in ROLE_PERMISSIONS[role]), (
                f"docs/roles.md and ROLE_PERMISSIONS disagree on {role.value} / {permission.value}"
            )


def test_roles_that_span_municipalities_are_never_given_personal_data():
    personal = {Permission.CITIZENS_VIEW, Permission.AUDIT_VIEW, Permission.CASES_VIEW, Permission.CASES_EDIT}
    for role in SPANNING_ROLES:
        assert not (ROLE_PERMISSIONS[role] & personal)
