"""Survey views: distribution. (URL lists at the bottom; evaluations/urls.py mounts them.)"""

# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/
cohort_patterns = []
# relative to labs/<lab_slug>/cohorts/<cohort_slug>/surveys/<survey_slug>/
survey_patterns = []
# from the site root (public answering links and the like)
root_patterns = []
