"Routing, handling, supervision and feedback of reports (jubao)."
