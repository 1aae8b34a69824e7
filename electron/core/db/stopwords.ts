// Words that say nothing about what a paper is about, in English and in the way abstracts are
// written: "more like this" leaves them out even where a small library makes them look rare.
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above across after again against all almost along also although always am among an and
  another any are as at be because been before being below between both but by can cannot could
  did do does doing done down during each either else even ever every few for from further had
  has have having he her here hers him his how however i if in into is it its itself just least
  less like made make makes many may me might more most much must my neither no nor not now of
  off often on once one only or other others our out over own per rather same she should show
  shows shown since so some such than that the their them then there these they this those
  through thus to too toward towards under until up upon us use used uses using very via was we
  well were what when where whether which while who whom whose why will with within without
  would yet you your paper papers propose proposed proposes approach approaches method methods
  results result work works present presents novel new based study studies existing demonstrate
  demonstrates further first second two three various different several significant
  significantly recent recently state art well task tasks`.split(/\s+/),
)
