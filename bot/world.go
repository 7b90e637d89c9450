package bot

// otherPlaces are countries, cities and demonyms the fact base says nothing
// about. A question naming one is about something the sources don't cover
// ("How many arrests were made in Spain?"), so such a word counts as a
// heavy unknown term and is never "corrected" into a known word. Places the
// base does know are entities (facts/data/entities.yaml) and win over this
// list.
var otherPlaces = set(`afghanistan afghan andorra angola angolan antigua armenia armenian australia australian
austria austrian azerbaijan bahamas bahrain bangladesh bangladeshi barbados belarus belgium belgian belize
benin bhutan bolivia bolivian botswana brunei burkina burundi cambodia cambodian cameroon canada canadian
chad chile chilean comoros congo congolese croatia croatian cuba cuban cyprus czech czechia denmark danish
djibouti dominica dominican ecuador ecuadorian egypt egyptian salvador eritrea estonia eswatini ethiopia
ethiopian fiji finland finnish gabon gambia georgia georgian germany german germans ghana ghanaian greece greek
grenada guatemala guinea guyana haiti haitian honduras hungary hungarian iceland india indian indians
indonesia indonesian iran iranian ireland irish israel israeli italy italian jamaica japan japanese jordan
kazakhstan kenya kenyan kiribati korea korean kosovo kuwait kyrgyzstan laos latvia lebanon lebanese lesotho
liberia libya libyan liechtenstein lithuania luxembourg madagascar malawi malaysia malaysian maldives malta
mauritania mauritius mexico mexican micronesia moldova monaco mongolia morocco moroccan mozambique myanmar
burma namibia nauru nepal nepalese nicaragua niger nigeria nigerian norway norwegian oman pakistan pakistani
palau palestine panama paraguay peru peruvian poland polish portugal portuguese qatar rwanda samoa
marino arabia saudi sierra singapore slovakia slovenia solomon somalia somali sudan sudanese suriname
spain spanish sri lanka sweden swedish switzerland swiss taiwan tajikistan tanzania thailand thai tonga
trinidad turkmenistan tuvalu uganda uae emirates uruguay uzbekistan vanuatu vatican yemen zambia zimbabwe
ecowas nato europol frontex fbi cia mi5 mi6
london paris berlin madrid rome lyon marseille dakar abuja lagos cairo nairobi delhi mumbai beijing tokyo
moscow kyiv kiev washington york chicago toronto ottawa sydney buenos aires bogota caracas
brasilia rio paulo lima istanbul ankara tunis algiers belgrade podgorica bamako lome damascus baghdad
edinburgh liverpool birmingham leeds dublin amsterdam brussels geneva vienna lyon athens warsaw
`)
