from accounts import permissions


def roles(request) -> dict:
    """The user's roles, for the menu: one query per request, cached on the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set()}
    return {"my_roles": permissions.roles_of(user)}
