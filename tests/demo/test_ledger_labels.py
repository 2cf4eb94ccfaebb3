"""The ledger audit rows say what they hold (session 23 review, MEDIUM 7): the budget
row of YX-CH01's audit (-79,790,434.60) is the claims paid to YX-CH01 from the budget,
not the budget; the institution's row (24,169,141.06 = 79.79 M - 55.62 M) is its net
after paying its staff, not its income."""

from ihms.demo._ledger import account_label


def test_the_budget_row_says_it_is_the_claims_paid_to_the_institution():
    label = account_label("consortium:global_budget", "YX-CH01")
    assert label == "consortium:global_budget — claims paid to YX-CH01 from the budget"


def test_the_institution_row_says_it_is_a_net_after_paying_staff():
    label = account_label("institution:YX-CH01", "YX-CH01")
    # review 27: the row (23,438,194.64) is claims 79,640,527.10 less the salaries YX-CH01
    # paid, 56,202,332.46; the staff also received 930,245.32 of incentives, but from the
    # consortium's incentive account, so "less what it paid its staff" was 0.93 M off
    assert label == (
        "institution:YX-CH01 — YX-CH01's net: claims received less the salaries it paid "
        "(its staff's incentives come from consortium:use:staff_incentive)"
    )


def test_other_accounts_keep_their_code():
    assert account_label("Staff: THC doctors", "YX-CH01") == "Staff: THC doctors"
