"""The candidate's page: plain HTML, one JS file and one CSS file served by Hourglass."""
