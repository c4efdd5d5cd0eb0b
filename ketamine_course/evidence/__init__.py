"""Evidence synthesis for the course: effect sizes, fixed- and random-effects pooling, heterogeneity, prediction
intervals and leave-one-out sensitivity analyses (:mod:`ketamine_course.evidence.meta_analysis`), and the named
analyses of the depression trial data set that lesson 4 draws as forest plots
(:mod:`ketamine_course.evidence.analyses`)."""
